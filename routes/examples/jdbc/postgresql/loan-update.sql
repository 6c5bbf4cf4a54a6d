-- A record supersedes a loan's row when (status_rank, occurred_at, event_id) is greater: application_started 1 <
-- application_filled 2 < final_approved 3 < agreement_signed 4 < disbursed 5 < rejected/canceled/
-- application_expired 6 (final). An EMI names its loan as agreement_signed: it never moves a loan back
-- (Jodo: an EMI alone does not change the loan's lifecycle), it only fills a loan not seen before.
UPDATE erp_loan SET
    jodo_student_id = COALESCE(:#jodo_student_id, jodo_student_id),
    student_identifier = COALESCE(:#student_identifier, student_identifier),
    student_custom_identifier = COALESCE(:#student_custom_identifier, student_custom_identifier),
    student_name = COALESCE(:#student_fullname, student_name),
    collector_code = COALESCE(:#student_collector_code, collector_code),
    grade_code = COALESCE(:#student_grade_code, grade_code),
    grade_name = COALESCE(:#student_grade_name, grade_name),
    academic_year_start = COALESCE(:#student_academic_year_start, academic_year_start),
    academic_year_end = COALESCE(:#student_academic_year_end, academic_year_end),
    status = COALESCE(:#loan_status, status),
    status_rank = COALESCE(CAST(:#loan_precedence AS INT), 0),
    amount = COALESCE(:#loan_amount, amount),
    agreement_signed_at = COALESCE(:#loan_agreement_signed_at, agreement_signed_at),
    occurred_at = :#occurred_at,
    event_id = :#event_id
 WHERE application_id = :#loan_application_id
   AND (status_rank, occurred_at, event_id) < (COALESCE(CAST(:#loan_precedence AS INT), 0), :#occurred_at, :#event_id)
