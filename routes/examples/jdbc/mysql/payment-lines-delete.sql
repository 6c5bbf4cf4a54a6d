-- Drop the old fee components, but only when this record just took them over (see payment-lines-claim.sql).
DELETE FROM erp_payment_line
 WHERE payment_id = :#payment_id
   AND EXISTS (SELECT 1 FROM erp_payment WHERE id = :#payment_id AND lines_event_id = :#event_id)
