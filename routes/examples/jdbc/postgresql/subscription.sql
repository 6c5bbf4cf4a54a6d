-- Flex subscriptions: from flex.subscription.* and flex.mandate.*, and from the instalment events that name their
-- subscription. This statement creates the row when it is missing; subscription-update.sql applies a record that
-- supersedes it, and subscription-mandate.sql a record's mandate. The row names the student the plan is for, with
-- the school year, as the event described them.
-- A record that does not supersede the row still fills the values it lacks, so every delivery order ends in
-- the same row (updating only when there is a gap: PostgreSQL writes a new version of a row for every update).
INSERT INTO erp_subscription (id, jodo_student_id, student_identifier, student_custom_identifier, student_name, collector_code, grade_code, grade_name, academic_year_start, academic_year_end, status, status_rank, occurred_at, event_id)
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
        :#occurred_at,
        :#event_id)
ON CONFLICT (id) DO UPDATE SET
    jodo_student_id = COALESCE(erp_subscription.jodo_student_id, EXCLUDED.jodo_student_id),
    student_identifier = COALESCE(erp_subscription.student_identifier, EXCLUDED.student_identifier),
    student_custom_identifier = COALESCE(erp_subscription.student_custom_identifier, EXCLUDED.student_custom_identifier),
    student_name = COALESCE(erp_subscription.student_name, EXCLUDED.student_name),
    collector_code = COALESCE(erp_subscription.collector_code, EXCLUDED.collector_code),
    grade_code = COALESCE(erp_subscription.grade_code, EXCLUDED.grade_code),
    grade_name = COALESCE(erp_subscription.grade_name, EXCLUDED.grade_name),
    academic_year_start = COALESCE(erp_subscription.academic_year_start, EXCLUDED.academic_year_start),
    academic_year_end = COALESCE(erp_subscription.academic_year_end, EXCLUDED.academic_year_end),
    status = COALESCE(erp_subscription.status, EXCLUDED.status)
 WHERE (erp_subscription.jodo_student_id IS NULL AND EXCLUDED.jodo_student_id IS NOT NULL)
    OR (erp_subscription.student_identifier IS NULL AND EXCLUDED.student_identifier IS NOT NULL)
    OR (erp_subscription.student_custom_identifier IS NULL AND EXCLUDED.student_custom_identifier IS NOT NULL)
    OR (erp_subscription.student_name IS NULL AND EXCLUDED.student_name IS NOT NULL)
    OR (erp_subscription.collector_code IS NULL AND EXCLUDED.collector_code IS NOT NULL)
    OR (erp_subscription.grade_code IS NULL AND EXCLUDED.grade_code IS NOT NULL)
    OR (erp_subscription.grade_name IS NULL AND EXCLUDED.grade_name IS NOT NULL)
    OR (erp_subscription.academic_year_start IS NULL AND EXCLUDED.academic_year_start IS NOT NULL)
    OR (erp_subscription.academic_year_end IS NULL AND EXCLUDED.academic_year_end IS NOT NULL)
    OR (erp_subscription.status IS NULL AND EXCLUDED.status IS NOT NULL)
