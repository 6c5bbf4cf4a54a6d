-- Cred EMIs (cred.emi.debited), recorded against the loan application, with the student as the event described
-- them. This statement creates the row when it is missing; loan-emi-update.sql applies a record that
-- supersedes it.
-- A record that does not supersede the row still fills the values it lacks, so every delivery order ends in
-- the same row.
INSERT INTO erp_loan_emi (payment_id, application_id, jodo_student_id, student_identifier, student_custom_identifier, student_name, collector_code, grade_code, grade_name, academic_year_start, academic_year_end, status, status_rank, amount, due_date, paid_at, version, occurred_at, event_id)
VALUES (
        :#payment_id,
        :#loan_application_id,
        :#jodo_student_id,
        :#student_identifier,
        :#student_custom_identifier,
        :#student_fullname,
        :#student_collector_code,
        :#student_grade_code,
        :#student_grade_name,
        :#student_academic_year_start,
        :#student_academic_year_end,
        :#payment_status,
        :#payment_precedence,
        :#payment_amount,
        :#payment_due_date,
        :#payment_paid_at,
        :#version,
        :#occurred_at,
        :#event_id)
ON DUPLICATE KEY UPDATE
    application_id = COALESCE(application_id, VALUES(application_id)),
    jodo_student_id = COALESCE(jodo_student_id, VALUES(jodo_student_id)),
    student_identifier = COALESCE(student_identifier, VALUES(student_identifier)),
    student_custom_identifier = COALESCE(student_custom_identifier, VALUES(student_custom_identifier)),
    student_name = COALESCE(student_name, VALUES(student_name)),
    collector_code = COALESCE(collector_code, VALUES(collector_code)),
    grade_code = COALESCE(grade_code, VALUES(grade_code)),
    grade_name = COALESCE(grade_name, VALUES(grade_name)),
    academic_year_start = COALESCE(academic_year_start, VALUES(academic_year_start)),
    academic_year_end = COALESCE(academic_year_end, VALUES(academic_year_end)),
    amount = COALESCE(amount, VALUES(amount)),
    due_date = COALESCE(due_date, VALUES(due_date)),
    paid_at = COALESCE(paid_at, VALUES(paid_at))
