-- Flex subscriptions: from flex.subscription.* and flex.mandate.*, and from the instalment events that name their
-- subscription. This statement creates the row when it is missing; subscription-update.sql applies a record that
-- supersedes it, and subscription-mandate.sql a record's mandate. The row names the student the plan is for, with
-- the school year, as the event described them.
-- A record that does not supersede the row still fills the values it lacks, so every delivery order ends in
-- the same row.
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
        COALESCE(:#subscription_precedence, 0),
        :#occurred_at,
        :#event_id)
ON DUPLICATE KEY UPDATE
    jodo_student_id = COALESCE(jodo_student_id, VALUES(jodo_student_id)),
    student_identifier = COALESCE(student_identifier, VALUES(student_identifier)),
    student_custom_identifier = COALESCE(student_custom_identifier, VALUES(student_custom_identifier)),
    student_name = COALESCE(student_name, VALUES(student_name)),
    collector_code = COALESCE(collector_code, VALUES(collector_code)),
    grade_code = COALESCE(grade_code, VALUES(grade_code)),
    grade_name = COALESCE(grade_name, VALUES(grade_name)),
    academic_year_start = COALESCE(academic_year_start, VALUES(academic_year_start)),
    academic_year_end = COALESCE(academic_year_end, VALUES(academic_year_end)),
    status = COALESCE(status, VALUES(status))
