-- A record that carries fee components takes them over when it supersedes the record they came from, by the
-- same order as the row (status_rank, occurred_at, event_id), even if a record without fee components holds the
-- rest of the row.
UPDATE erp_payment SET lines_status_rank = :#payment_precedence, lines_occurred_at = :#occurred_at,
       lines_event_id = :#event_id
 WHERE id = :#payment_id
   AND (lines_event_id IS NULL
        OR (lines_status_rank, lines_occurred_at, lines_event_id) <= (:#payment_precedence, :#occurred_at, :#event_id))
