-- Cred loan applications: from cred.loan.* and from the EMI events that name their application. This statement
-- only creates the row when it is missing; loan-update.sql applies a record that supersedes it.
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
ON CONFLICT (application_id) DO NOTHING
