-- Payments of every product but Cred EMIs, keyed by Jodo's payment id (an order's order_id). This statement
-- only creates the row when it is missing; payment-update.sql applies a record that supersedes the row.
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
ON CONFLICT (id) DO NOTHING
