-- A record that carries instalments takes them over when it is at least as new as the record they came
-- from, even if a newer record without instalments holds the rest of the row.
UPDATE erp_subscription SET lines_occurred_at = :#occurred_at, lines_event_id = :#event_id
 WHERE id = :#subscription_id AND (lines_occurred_at IS NULL OR lines_occurred_at < :#occurred_at
        OR (lines_occurred_at = :#occurred_at AND lines_event_id <= :#event_id))
