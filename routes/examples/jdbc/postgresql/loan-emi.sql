-- Cred EMIs (cred.emi.debited), recorded against the loan application, with the student as the event described
-- them. This statement creates the row when it is missing; loan-emi-update.sql applies a record that
-- supersedes it.
-- A record that does not supersede the row still fills the values it lacks, so every delivery order ends in
-- the same row (updating only when there is a gap: PostgreSQL writes a new version of a row for every update).
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
ON CONFLICT (payment_id) DO UPDATE SET
    application_id = COALESCE(erp_loan_emi.application_id, EXCLUDED.application_id),
    jodo_student_id = COALESCE(erp_loan_emi.jodo_student_id, EXCLUDED.jodo_student_id),
    student_identifier = COALESCE(erp_loan_emi.student_identifier, EXCLUDED.student_identifier),
    student_custom_identifier = COALESCE(erp_loan_emi.student_custom_identifier, EXCLUDED.student_custom_identifier),
    student_name = COALESCE(erp_loan_emi.student_name, EXCLUDED.student_name),
    collector_code = COALESCE(erp_loan_emi.collector_code, EXCLUDED.collector_code),
    grade_code = COALESCE(erp_loan_emi.grade_code, EXCLUDED.grade_code),
    grade_name = COALESCE(erp_loan_emi.grade_name, EXCLUDED.grade_name),
    academic_year_start = COALESCE(erp_loan_emi.academic_year_start, EXCLUDED.academic_year_start),
    academic_year_end = COALESCE(erp_loan_emi.academic_year_end, EXCLUDED.academic_year_end),
    amount = COALESCE(erp_loan_emi.amount, EXCLUDED.amount),
    due_date = COALESCE(erp_loan_emi.due_date, EXCLUDED.due_date),
    paid_at = COALESCE(erp_loan_emi.paid_at, EXCLUDED.paid_at)
 WHERE (erp_loan_emi.application_id IS NULL AND EXCLUDED.application_id IS NOT NULL)
    OR (erp_loan_emi.jodo_student_id IS NULL AND EXCLUDED.jodo_student_id IS NOT NULL)
    OR (erp_loan_emi.student_identifier IS NULL AND EXCLUDED.student_identifier IS NOT NULL)
    OR (erp_loan_emi.student_custom_identifier IS NULL AND EXCLUDED.student_custom_identifier IS NOT NULL)
    OR (erp_loan_emi.student_name IS NULL AND EXCLUDED.student_name IS NOT NULL)
    OR (erp_loan_emi.collector_code IS NULL AND EXCLUDED.collector_code IS NOT NULL)
    OR (erp_loan_emi.grade_code IS NULL AND EXCLUDED.grade_code IS NOT NULL)
    OR (erp_loan_emi.grade_name IS NULL AND EXCLUDED.grade_name IS NOT NULL)
    OR (erp_loan_emi.academic_year_start IS NULL AND EXCLUDED.academic_year_start IS NOT NULL)
    OR (erp_loan_emi.academic_year_end IS NULL AND EXCLUDED.academic_year_end IS NOT NULL)
    OR (erp_loan_emi.amount IS NULL AND EXCLUDED.amount IS NOT NULL)
    OR (erp_loan_emi.due_date IS NULL AND EXCLUDED.due_date IS NOT NULL)
    OR (erp_loan_emi.paid_at IS NULL AND EXCLUDED.paid_at IS NOT NULL)
