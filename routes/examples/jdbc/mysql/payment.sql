-- Payments of every product but Cred EMIs, keyed by Jodo's payment id (an order's order_id). This statement
-- creates the row when it is missing; payment-update.sql applies a record that supersedes the row. A record that
-- does not supersede it still fills what the row lacks (a debit's paid_at and reference under the bounce that
-- outranks it): in every delivery order the row ends with the same values, and the payment on the same day.
-- Each row carries the student as the event described them (academic year, grade, identifiers, branch), so an
-- old receipt stays tied to the year it paid for whatever the student's row says today. A Pay order, page or link
-- names no Jodo student, but its payer often carries the student's identifiers, name, grade and academic year: those
-- fill the same columns then (the CASTs only give a parameter a type where nothing else does: H2, which the tests
-- run these on too, cannot tell it; MariaDB and MySQL need no more).
INSERT INTO erp_payment (id, product, jodo_student_id, student_identifier, student_custom_identifier, student_name, collector_code, grade_code, grade_name, academic_year_start, academic_year_end, status, status_rank, reversed, reversed_at, amount, currency, mode, paid_at, due_date, initial_due_date, reference_id, transaction_id, settlement_utr, remark, notes, payer_name, payer_phone, payer_email, subscription_id, version, occurred_at, event_id)
VALUES (
        :#payment_id,
        :#payment_product,
        :#jodo_student_id,
        COALESCE(:#student_identifier, CAST(:#payer_identifier AS CHAR(1000))),
        COALESCE(:#student_custom_identifier, CAST(:#payer_custom_identifier AS CHAR(1000))),
        COALESCE(:#student_fullname, CAST(:#payer_student_name AS CHAR(1000))),
        :#student_collector_code,
        COALESCE(:#student_grade_code, CAST(:#payer_grade AS CHAR(1000))),
        :#student_grade_name,
        COALESCE(:#student_academic_year_start, CAST(:#payer_academic_year_start AS SIGNED)),
        COALESCE(:#student_academic_year_end, CAST(:#payer_academic_year_end AS SIGNED)),
        :#payment_status,
        :#payment_precedence,
        CASE WHEN :#payment_status IN ('CANCELLED', 'REVERSED') THEN TRUE ELSE FALSE END,
        CASE WHEN :#payment_status IN ('CANCELLED', 'REVERSED') THEN :#occurred_at END,
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
    amount = COALESCE(amount, VALUES(amount)),
    currency = COALESCE(currency, VALUES(currency)),
    mode = COALESCE(mode, VALUES(mode)),
    paid_at = COALESCE(paid_at, VALUES(paid_at)),
    due_date = COALESCE(due_date, VALUES(due_date)),
    initial_due_date = COALESCE(initial_due_date, VALUES(initial_due_date)),
    reference_id = COALESCE(reference_id, VALUES(reference_id)),
    transaction_id = COALESCE(transaction_id, VALUES(transaction_id)),
    settlement_utr = COALESCE(settlement_utr, VALUES(settlement_utr)),
    remark = COALESCE(remark, VALUES(remark)),
    notes = COALESCE(notes, VALUES(notes)),
    payer_name = COALESCE(payer_name, VALUES(payer_name)),
    payer_phone = COALESCE(payer_phone, VALUES(payer_phone)),
    payer_email = COALESCE(payer_email, VALUES(payer_email)),
    subscription_id = COALESCE(subscription_id, VALUES(subscription_id))
