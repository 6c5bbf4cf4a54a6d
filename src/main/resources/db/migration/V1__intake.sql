-- Event ids seen by Camel's SQL idempotent consumer (JdbcMessageIdRepository).
-- The primary key is what makes deduplication hold across instances sharing one database.
CREATE TABLE jodo_event_id (
    processor_name VARCHAR(64)  NOT NULL,
    message_id     VARCHAR(128) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (processor_name, message_id)
);

-- Every accepted webhook, exactly as received, written in the same transaction as its event id.
CREATE TABLE inbox_event (
    event_id        VARCHAR(128) NOT NULL PRIMARY KEY,
    event_name      VARCHAR(100) NOT NULL,
    event_timestamp BIGINT       NOT NULL,
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    remote_address  VARCHAR(64)  NOT NULL,
    path_event_code VARCHAR(100),
    raw_body        BYTEA        NOT NULL
);

CREATE INDEX inbox_event_received_at ON inbox_event (received_at);
