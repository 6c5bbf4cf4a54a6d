-- Drop the old instalments, but only when this record just took them over (see subscription-lines-claim.sql).
DELETE FROM erp_subscription_instalment
 WHERE subscription_id = :#subscription_id
   AND EXISTS (SELECT 1 FROM erp_subscription WHERE id = :#subscription_id AND lines_event_id = :#event_id)
