-- A record supersedes an EMI's row by (status_rank, occurred_at, event_id), as for payments (payment-update.sql).
UPDATE erp_loan_emi SET
    application_id = COALESCE(:#loan_application_id, application_id),
    jodo_student_id = COALESCE(:#jodo_student_id, jodo_student_id),
    student_identifier = COALESCE(:#student_identifier, student_identifier),
    student_custom_identifier = COALESCE(:#student_custom_identifier, student_custom_identifier),
    student_name = COALESCE(:#student_fullname, student_name),
    collector_code = COALESCE(:#student_collector_code, collector_code),
    grade_code = COALESCE(:#student_grade_code, grade_code),
    grade_name = COALESCE(:#student_grade_name, grade_name),
    academic_year_start = COALESCE(:#student_academic_year_start, academic_year_start),
    academic_year_end = COALESCE(:#student_academic_year_end, academic_year_end),
    status = :#payment_status,
    status_rank = :#payment_precedence,
    amount = COALESCE(:#payment_amount, amount),
    due_date = COALESCE(:#payment_due_date, due_date),
    paid_at = COALESCE(:#payment_paid_at, paid_at),
    version = :#version,
    occurred_at = :#occurred_at,
    event_id = :#event_id
 WHERE payment_id = :#payment_id
   AND (status_rank, occurred_at, event_id) < (:#payment_precedence, :#occurred_at, :#event_id)
