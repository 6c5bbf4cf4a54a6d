-- A record that carries fee components takes them over when it is at least as new as the record they came
-- from, even if a newer record without fee components holds the rest of the row.
UPDATE erp_payment SET lines_occurred_at = :#occurred_at, lines_event_id = :#event_id
 WHERE id = :#payment_id AND (lines_occurred_at IS NULL OR lines_occurred_at < :#occurred_at
        OR (lines_occurred_at = :#occurred_at AND lines_event_id <= :#event_id))
