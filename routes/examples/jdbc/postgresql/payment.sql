-- Payments of every product but Cred EMIs, keyed by Jodo's payment id (an order's order_id). This statement
-- creates the row when it is missing; payment-update.sql applies a record that supersedes the row. A record that
-- does not supersede it still fills what the row lacks (a debit's paid_at and reference under the bounce that
-- outranks it): in every delivery order the row ends with the same values, and the payment on the same day. It
-- updates only when there is a gap to fill: PostgreSQL writes a new version of a row for every update, even one
-- that changes nothing.
-- Each row carries the student as the event described them (academic year, grade, identifiers, branch), so an
-- old receipt stays tied to the year it paid for whatever the student's row says today. A Pay order, page or link
-- names no Jodo student, but its payer often carries the student's identifiers, name, grade and academic year: those
-- fill the same columns then.
INSERT INTO erp_payment (id, product, jodo_student_id, student_identifier, student_custom_identifier, student_name, collector_code, grade_code, grade_name, academic_year_start, academic_year_end, status, status_rank, reversed, reversed_at, amount, currency, mode, paid_at, due_date, initial_due_date, reference_id, transaction_id, settlement_utr, remark, notes, payer_name, payer_phone, payer_email, subscription_id, version, occurred_at, event_id)
VALUES (
        :#payment_id,
        :#payment_product,
        :#jodo_student_id,
        COALESCE(:#student_identifier, :#payer_identifier),
        COALESCE(:#student_custom_identifier, :#payer_custom_identifier),
        COALESCE(:#student_fullname, :#payer_student_name),
        :#student_collector_code,
        COALESCE(:#student_grade_code, :#payer_grade),
        :#student_grade_name,
        COALESCE(CAST(:#student_academic_year_start AS INTEGER), CAST(:#payer_academic_year_start AS INTEGER)),
        COALESCE(CAST(:#student_academic_year_end AS INTEGER), CAST(:#payer_academic_year_end AS INTEGER)),
        :#payment_status,
        :#payment_precedence,
        CASE WHEN CAST(:#payment_status AS VARCHAR(16)) IN ('CANCELLED', 'REVERSED') THEN TRUE ELSE FALSE END,
        CASE WHEN CAST(:#payment_status AS VARCHAR(16)) IN ('CANCELLED', 'REVERSED') THEN CAST(:#occurred_at AS TIMESTAMP) END,
        :#payment_amount,
        :#payment_currency,
        :#payment_mode,
        :#payment_paid_at,
        :#payment_due_date,
        :#payment_initial_due_date,
        :#payment_reference_id,
        :#payment_transaction_id,
        :#payment_settlement_utr,
        :#payment_remark,
        :#payment_notes,
        :#payer_name,
        :#payer_phone,
        :#payer_email,
        :#subscription_id,
        :#version,
        :#occurred_at,
        :#event_id)
ON CONFLICT (id) DO UPDATE SET
    jodo_student_id = COALESCE(erp_payment.jodo_student_id, EXCLUDED.jodo_student_id),
    student_identifier = COALESCE(erp_payment.student_identifier, EXCLUDED.student_identifier),
    student_custom_identifier = COALESCE(erp_payment.student_custom_identifier, EXCLUDED.student_custom_identifier),
    student_name = COALESCE(erp_payment.student_name, EXCLUDED.student_name),
    collector_code = COALESCE(erp_payment.collector_code, EXCLUDED.collector_code),
    grade_code = COALESCE(erp_payment.grade_code, EXCLUDED.grade_code),
    grade_name = COALESCE(erp_payment.grade_name, EXCLUDED.grade_name),
    academic_year_start = COALESCE(erp_payment.academic_year_start, EXCLUDED.academic_year_start),
    academic_year_end = COALESCE(erp_payment.academic_year_end, EXCLUDED.academic_year_end),
    amount = COALESCE(erp_payment.amount, EXCLUDED.amount),
    currency = COALESCE(erp_payment.currency, EXCLUDED.currency),
    mode = COALESCE(erp_payment.mode, EXCLUDED.mode),
    paid_at = COALESCE(erp_payment.paid_at, EXCLUDED.paid_at),
    due_date = COALESCE(erp_payment.due_date, EXCLUDED.due_date),
    initial_due_date = COALESCE(erp_payment.initial_due_date, EXCLUDED.initial_due_date),
    reference_id = COALESCE(erp_payment.reference_id, EXCLUDED.reference_id),
    transaction_id = COALESCE(erp_payment.transaction_id, EXCLUDED.transaction_id),
    settlement_utr = COALESCE(erp_payment.settlement_utr, EXCLUDED.settlement_utr),
    remark = COALESCE(erp_payment.remark, EXCLUDED.remark),
    notes = COALESCE(erp_payment.notes, EXCLUDED.notes),
    payer_name = COALESCE(erp_payment.payer_name, EXCLUDED.payer_name),
    payer_phone = COALESCE(erp_payment.payer_phone, EXCLUDED.payer_phone),
    payer_email = COALESCE(erp_payment.payer_email, EXCLUDED.payer_email),
    subscription_id = COALESCE(erp_payment.subscription_id, EXCLUDED.subscription_id)
 WHERE (erp_payment.jodo_student_id IS NULL AND EXCLUDED.jodo_student_id IS NOT NULL)
    OR (erp_payment.student_identifier IS NULL AND EXCLUDED.student_identifier IS NOT NULL)
    OR (erp_payment.student_custom_identifier IS NULL AND EXCLUDED.student_custom_identifier IS NOT NULL)
    OR (erp_payment.student_name IS NULL AND EXCLUDED.student_name IS NOT NULL)
    OR (erp_payment.collector_code IS NULL AND EXCLUDED.collector_code IS NOT NULL)
    OR (erp_payment.grade_code IS NULL AND EXCLUDED.grade_code IS NOT NULL)
    OR (erp_payment.grade_name IS NULL AND EXCLUDED.grade_name IS NOT NULL)
    OR (erp_payment.academic_year_start IS NULL AND EXCLUDED.academic_year_start IS NOT NULL)
    OR (erp_payment.academic_year_end IS NULL AND EXCLUDED.academic_year_end IS NOT NULL)
    OR (erp_payment.amount IS NULL AND EXCLUDED.amount IS NOT NULL)
    OR (erp_payment.currency IS NULL AND EXCLUDED.currency IS NOT NULL)
    OR (erp_payment.mode IS NULL AND EXCLUDED.mode IS NOT NULL)
    OR (erp_payment.paid_at IS NULL AND EXCLUDED.paid_at IS NOT NULL)
    OR (erp_payment.due_date IS NULL AND EXCLUDED.due_date IS NOT NULL)
    OR (erp_payment.initial_due_date IS NULL AND EXCLUDED.initial_due_date IS NOT NULL)
    OR (erp_payment.reference_id IS NULL AND EXCLUDED.reference_id IS NOT NULL)
    OR (erp_payment.transaction_id IS NULL AND EXCLUDED.transaction_id IS NOT NULL)
    OR (erp_payment.settlement_utr IS NULL AND EXCLUDED.settlement_utr IS NOT NULL)
    OR (erp_payment.remark IS NULL AND EXCLUDED.remark IS NOT NULL)
    OR (erp_payment.notes IS NULL AND EXCLUDED.notes IS NOT NULL)
    OR (erp_payment.payer_name IS NULL AND EXCLUDED.payer_name IS NOT NULL)
    OR (erp_payment.payer_phone IS NULL AND EXCLUDED.payer_phone IS NOT NULL)
    OR (erp_payment.payer_email IS NULL AND EXCLUDED.payer_email IS NOT NULL)
    OR (erp_payment.subscription_id IS NULL AND EXCLUDED.subscription_id IS NOT NULL)
