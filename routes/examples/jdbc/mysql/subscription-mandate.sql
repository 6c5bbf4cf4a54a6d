-- A subscription's mandate, from a record that carries one (flex.mandate.*): it replaces the row's mandate whole
-- when the record is newer (occurred_at, then the larger event_id) than the one the mandate came from, whatever the
-- subscription's status, so a mandate cancelled and another expired end as the newer says in every delivery order.
-- The row exists: subscription.sql runs first.
UPDATE erp_subscription SET
    mandate_id = :#subscription_mandate_id,
    mandate_status = :#subscription_mandate_status,
    mandate_reason = :#subscription_mandate_reason,
    mandate_end_date = :#subscription_mandate_end_date,
    mandate_occurred_at = :#occurred_at,
    mandate_event_id = :#event_id
 WHERE id = :#subscription_id
   AND (mandate_occurred_at IS NULL OR (mandate_occurred_at, mandate_event_id) < (:#occurred_at, :#event_id))
