-- Flex subscriptions and their mandates (flex.subscription.*, flex.mandate.*).
INSERT INTO erp_subscription (id, jodo_student_id, status, mandate_id, mandate_status, mandate_reason, mandate_end_date, occurred_at, event_id)
VALUES (
        :#subscription_id,
        :#jodo_student_id,
        :#subscription_status,
        :#subscription_mandate_id,
        :#subscription_mandate_status,
        :#subscription_mandate_reason,
        :#subscription_mandate_end_date,
        :#occurred_at,
        :#event_id)
ON CONFLICT (id) DO UPDATE SET
    jodo_student_id = COALESCE(EXCLUDED.jodo_student_id, erp_subscription.jodo_student_id),
    status = COALESCE(EXCLUDED.status, erp_subscription.status),
    mandate_id = COALESCE(EXCLUDED.mandate_id, erp_subscription.mandate_id),
    mandate_status = COALESCE(EXCLUDED.mandate_status, erp_subscription.mandate_status),
    mandate_reason = COALESCE(EXCLUDED.mandate_reason, erp_subscription.mandate_reason),
    mandate_end_date = COALESCE(EXCLUDED.mandate_end_date, erp_subscription.mandate_end_date),
    event_id = EXCLUDED.event_id,
    occurred_at = EXCLUDED.occurred_at
-- only a record at least as new as the row replaces it (same second: the larger event_id, so any
-- delivery order ends in the same state)
WHERE (erp_subscription.occurred_at, erp_subscription.event_id) <= (EXCLUDED.occurred_at, EXCLUDED.event_id)
