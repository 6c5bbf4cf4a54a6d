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
ON DUPLICATE KEY UPDATE
    jodo_student_id = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(jodo_student_id), jodo_student_id) ELSE jodo_student_id END,
    status = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(status), status) ELSE status END,
    mandate_id = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(mandate_id), mandate_id) ELSE mandate_id END,
    mandate_status = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(mandate_status), mandate_status) ELSE mandate_status END,
    mandate_reason = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(mandate_reason), mandate_reason) ELSE mandate_reason END,
    mandate_end_date = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(mandate_end_date), mandate_end_date) ELSE mandate_end_date END,
    event_id = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN VALUES(event_id) ELSE event_id END,
    -- last: the comparisons above see the row's old occurred_at (event_id, set just above, is not compared after it)
    occurred_at = GREATEST(occurred_at, VALUES(occurred_at))
