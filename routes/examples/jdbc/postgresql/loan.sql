-- Cred loan applications: from cred.loan.* and from the EMI events that name their application. This statement
-- creates the row when it is missing; loan-update.sql applies a record that supersedes it.
-- A record that does not supersede the row still fills the values it lacks, so every delivery order ends in
-- the same row (updating only when there is a gap: PostgreSQL writes a new version of a row for every update).
INSERT INTO erp_loan (application_id, jodo_student_id, student_identifier, student_custom_identifier, student_name, collector_code, grade_code, grade_name, academic_year_start, academic_year_end, status, status_rank, amount, agreement_signed_at, occurred_at, event_id)
VALUES (
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
        :#loan_status,
        COALESCE(CAST(:#loan_precedence AS INT), 0),
        :#loan_amount,
        :#loan_agreement_signed_at,
        :#occurred_at,
        :#event_id)
ON CONFLICT (application_id) DO UPDATE SET
    jodo_student_id = COALESCE(erp_loan.jodo_student_id, EXCLUDED.jodo_student_id),
    student_identifier = COALESCE(erp_loan.student_identifier, EXCLUDED.student_identifier),
    student_custom_identifier = COALESCE(erp_loan.student_custom_identifier, EXCLUDED.student_custom_identifier),
    student_name = COALESCE(erp_loan.student_name, EXCLUDED.student_name),
    collector_code = COALESCE(erp_loan.collector_code, EXCLUDED.collector_code),
    grade_code = COALESCE(erp_loan.grade_code, EXCLUDED.grade_code),
    grade_name = COALESCE(erp_loan.grade_name, EXCLUDED.grade_name),
    academic_year_start = COALESCE(erp_loan.academic_year_start, EXCLUDED.academic_year_start),
    academic_year_end = COALESCE(erp_loan.academic_year_end, EXCLUDED.academic_year_end),
    status = COALESCE(erp_loan.status, EXCLUDED.status),
    amount = COALESCE(erp_loan.amount, EXCLUDED.amount),
    agreement_signed_at = COALESCE(erp_loan.agreement_signed_at, EXCLUDED.agreement_signed_at)
 WHERE (erp_loan.jodo_student_id IS NULL AND EXCLUDED.jodo_student_id IS NOT NULL)
    OR (erp_loan.student_identifier IS NULL AND EXCLUDED.student_identifier IS NOT NULL)
    OR (erp_loan.student_custom_identifier IS NULL AND EXCLUDED.student_custom_identifier IS NOT NULL)
    OR (erp_loan.student_name IS NULL AND EXCLUDED.student_name IS NOT NULL)
    OR (erp_loan.collector_code IS NULL AND EXCLUDED.collector_code IS NOT NULL)
    OR (erp_loan.grade_code IS NULL AND EXCLUDED.grade_code IS NOT NULL)
    OR (erp_loan.grade_name IS NULL AND EXCLUDED.grade_name IS NOT NULL)
    OR (erp_loan.academic_year_start IS NULL AND EXCLUDED.academic_year_start IS NOT NULL)
    OR (erp_loan.academic_year_end IS NULL AND EXCLUDED.academic_year_end IS NOT NULL)
    OR (erp_loan.status IS NULL AND EXCLUDED.status IS NOT NULL)
    OR (erp_loan.amount IS NULL AND EXCLUDED.amount IS NOT NULL)
    OR (erp_loan.agreement_signed_at IS NULL AND EXCLUDED.agreement_signed_at IS NOT NULL)
