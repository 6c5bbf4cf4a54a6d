-- Cred loan applications: from cred.loan.* and from the EMI events that name their application. This statement
-- creates the row when it is missing; loan-update.sql applies a record that supersedes it.
-- A record that does not supersede the row still fills the values it lacks, so every delivery order ends in
-- the same row.
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
        COALESCE(:#loan_precedence, 0),
        :#loan_amount,
        :#loan_agreement_signed_at,
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
    status = COALESCE(status, VALUES(status)),
    amount = COALESCE(amount, VALUES(amount)),
    agreement_signed_at = COALESCE(agreement_signed_at, VALUES(agreement_signed_at))
