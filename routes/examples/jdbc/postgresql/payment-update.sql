-- A record supersedes a payment's row when (status_rank, occurred_at, event_id) is greater: a status of higher
-- precedence always wins (ADDED/UPDATED/DEBITED 1 < SETTLED 2 < CANCELLED/REVERSED/BOUNCED/FAILED/EXPIRED 3),
-- whatever the times, so a cancelled or reversed payment stays so; within one precedence the newer record wins,
-- on the same second the larger event_id. One total order: every delivery order ends in the same row.
-- A reversal keeps the original paid_at and records when it was reversed (reversed_at). Absent values keep
-- what the row has.
UPDATE erp_payment SET
    product = :#payment_product,
    jodo_student_id = COALESCE(:#jodo_student_id, jodo_student_id),
    student_identifier = COALESCE(:#student_identifier, :#payer_identifier, student_identifier),
    student_custom_identifier = COALESCE(:#student_custom_identifier, :#payer_custom_identifier, student_custom_identifier),
    student_name = COALESCE(:#student_fullname, :#payer_student_name, student_name),
    collector_code = COALESCE(:#student_collector_code, collector_code),
    grade_code = COALESCE(:#student_grade_code, :#payer_grade, grade_code),
    grade_name = COALESCE(:#student_grade_name, grade_name),
    academic_year_start = COALESCE(:#student_academic_year_start, :#payer_academic_year_start, academic_year_start),
    academic_year_end = COALESCE(:#student_academic_year_end, :#payer_academic_year_end, academic_year_end),
    status = :#payment_status,
    status_rank = :#payment_precedence,
    reversed = CASE WHEN CAST(:#payment_status AS VARCHAR(16)) IN ('CANCELLED', 'REVERSED') THEN TRUE ELSE FALSE END,
    reversed_at = CASE WHEN CAST(:#payment_status AS VARCHAR(16)) IN ('CANCELLED', 'REVERSED') THEN CAST(:#occurred_at AS TIMESTAMP) END,
    amount = COALESCE(:#payment_amount, amount),
    currency = COALESCE(:#payment_currency, currency),
    mode = COALESCE(:#payment_mode, mode),
    paid_at = COALESCE(:#payment_paid_at, paid_at),
    due_date = COALESCE(:#payment_due_date, due_date),
    initial_due_date = COALESCE(:#payment_initial_due_date, initial_due_date),
    reference_id = COALESCE(:#payment_reference_id, reference_id),
    transaction_id = COALESCE(:#payment_transaction_id, transaction_id),
    settlement_utr = COALESCE(:#payment_settlement_utr, settlement_utr),
    remark = COALESCE(:#payment_remark, remark),
    notes = COALESCE(:#payment_notes, notes),
    payer_name = COALESCE(:#payer_name, payer_name),
    payer_phone = COALESCE(:#payer_phone, payer_phone),
    payer_email = COALESCE(:#payer_email, payer_email),
    subscription_id = COALESCE(:#subscription_id, subscription_id),
    version = :#version,
    occurred_at = :#occurred_at,
    event_id = :#event_id
 WHERE id = :#payment_id
   AND (status_rank, occurred_at, event_id) < (:#payment_precedence, :#occurred_at, :#event_id)
