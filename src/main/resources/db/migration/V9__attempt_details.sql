-- What an operator needs to judge an attempt: the target's HTTP status (when it answered one) or the kind of error,
-- how long the attempt took, and when the next one is due (NULL when delivered or dead).
ALTER TABLE delivery_attempt ADD COLUMN http_status INT;
ALTER TABLE delivery_attempt ADD COLUMN error_class VARCHAR(128);
ALTER TABLE delivery_attempt ADD COLUMN duration_ms BIGINT;
ALTER TABLE delivery_attempt ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;
