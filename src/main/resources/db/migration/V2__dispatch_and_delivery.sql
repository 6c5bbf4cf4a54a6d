-- Dispatch: every stored event is routed and mapped once, off the HTTP thread, from here.
--   PENDING   stored, not yet routed
--   ROUTED    mapped to its canonical record; one delivery row per target it goes to
--   UNROUTED  no route for its event name (kept; replayable once a route exists)
--   FAILED    its payload could not be mapped (kept with the reason; never delivered with a guess)
ALTER TABLE inbox_event ADD COLUMN dispatch_state VARCHAR(16) DEFAULT 'PENDING' NOT NULL;
ALTER TABLE inbox_event ADD COLUMN family VARCHAR(32);
ALTER TABLE inbox_event ADD COLUMN canonical_record TEXT;
ALTER TABLE inbox_event ADD COLUMN parked_reason VARCHAR(2000);
ALTER TABLE inbox_event ADD COLUMN dispatched_at TIMESTAMP WITH TIME ZONE;
-- A claim (token and lease) keeps two instances from dispatching one event at once; a dead
-- instance's claim simply runs out.
ALTER TABLE inbox_event ADD COLUMN claim_token VARCHAR(36);
ALTER TABLE inbox_event ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX inbox_event_dispatch ON inbox_event (dispatch_state, received_at);

-- Delivery: one row per (event, target), each with its own state, so one failing ERP target
-- never blocks or repeats another.
--   PENDING    due at next_attempt_at (first try, or a retry after a transient failure)
--   DELIVERED  the target has it
--   DEAD       retry budget spent, or a permanent failure: a dead letter for operators
CREATE TABLE delivery (
    event_id        VARCHAR(128) NOT NULL,
    target          VARCHAR(64)  NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    attempts        INT          NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at    TIMESTAMP WITH TIME ZONE,
    first_failed_at TIMESTAMP WITH TIME ZONE,
    last_failed_at  TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(2000),
    claim_token     VARCHAR(36),
    claimed_until   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (event_id, target)
);
CREATE INDEX delivery_due ON delivery (state, next_attempt_at);
