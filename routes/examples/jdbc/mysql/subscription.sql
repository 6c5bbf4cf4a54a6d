-- Flex subscriptions and their mandates: from flex.subscription.* and flex.mandate.*, and from the instalment
-- events that name their subscription. This statement only creates the row when it is missing;
-- subscription-update.sql applies a record that supersedes it.
INSERT INTO erp_subscription (id, jodo_student_id, status, status_rank, mandate_id, mandate_status, mandate_reason, mandate_end_date, occurred_at, event_id)
VALUES (
        :#subscription_id,
        :#jodo_student_id,
        :#subscription_status,
        COALESCE(:#subscription_precedence, 0),
        :#subscription_mandate_id,
        :#subscription_mandate_status,
        :#subscription_mandate_reason,
        :#subscription_mandate_end_date,
        :#occurred_at,
        :#event_id)
ON DUPLICATE KEY UPDATE id = id
