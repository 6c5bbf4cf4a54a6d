-- Flex subscriptions and their mandates: from flex.subscription.* and flex.mandate.*, and from the instalment
-- events that name their subscription. This statement only creates the row when it is missing;
-- subscription-update.sql applies a record that supersedes it. The row names the student the plan is for, with
-- the school year, as the event described them.
INSERT INTO erp_subscription (id, jodo_student_id, student_identifier, student_custom_identifier, student_name, collector_code, grade_code, grade_name, academic_year_start, academic_year_end, status, status_rank, mandate_id, mandate_status, mandate_reason, mandate_end_date, occurred_at, event_id)
VALUES (
        :#subscription_id,
        :#jodo_student_id,
        :#student_identifier,
        :#student_custom_identifier,
        :#student_fullname,
        :#student_collector_code,
        :#student_grade_code,
        :#student_grade_name,
        :#student_academic_year_start,
        :#student_academic_year_end,
        :#subscription_status,
        COALESCE(CAST(:#subscription_precedence AS INT), 0),
        :#subscription_mandate_id,
        :#subscription_mandate_status,
        :#subscription_mandate_reason,
        :#subscription_mandate_end_date,
        :#occurred_at,
        :#event_id)
ON CONFLICT (id) DO NOTHING
