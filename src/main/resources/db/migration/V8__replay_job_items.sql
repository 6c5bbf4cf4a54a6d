-- What each bulk replay replayed, so its result can say how many were delivered since and how many failed again,
-- rather than only how many it put back in the queue. target is '' for an event sent back to dispatch.
CREATE TABLE replay_job_item (
    job_id      VARCHAR(36)  NOT NULL,
    event_id    VARCHAR(128) NOT NULL,
    target      VARCHAR(64)  NOT NULL,
    replayed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (job_id, event_id, target)
);
