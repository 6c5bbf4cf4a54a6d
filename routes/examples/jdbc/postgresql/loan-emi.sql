-- Cred EMIs (cred.emi.debited), recorded against the loan application, with the student as the event described
-- them. This statement only creates the row when it is missing; loan-emi-update.sql applies a record that
-- supersedes it.
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
ON CONFLICT (payment_id) DO NOTHING
