-- A record that carries a schedule takes the instalments over when it supersedes the record they came from, by
-- the same order as the row (status_rank, occurred_at, event_id), even if a record without a schedule holds the
-- rest of the row.
UPDATE erp_subscription SET lines_status_rank = COALESCE(:#subscription_precedence, 0), lines_occurred_at = :#occurred_at,
       lines_event_id = :#event_id
 WHERE id = :#subscription_id
   AND (lines_event_id IS NULL
        OR (lines_status_rank, lines_occurred_at, lines_event_id) <= (COALESCE(:#subscription_precedence, 0), :#occurred_at, :#event_id))
