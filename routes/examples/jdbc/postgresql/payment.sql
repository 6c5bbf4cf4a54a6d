-- Payments of every product but Cred EMIs. A direct.payment.cancelled marks the payment reversed (same id).
-- A late "debited" never overwrites a "settled" or "CANCELLED": the newer occurred_at wins.
INSERT INTO erp_payment (id, product, jodo_student_id, student_identifier, status, reversed, amount, currency, mode, paid_at, due_date, initial_due_date, reference_id, transaction_id, settlement_utr, remark, notes, payer_name, payer_phone, payer_email, subscription_id, occurred_at, event_id)
VALUES (
        :#payment_id,
        :#payment_product,
        :#jodo_student_id,
        :#student_identifier,
        :#payment_status,
        CASE WHEN :#payment_status = 'CANCELLED' THEN TRUE ELSE FALSE END,
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
        :#occurred_at,
        :#event_id)
ON CONFLICT (id) DO UPDATE SET
    product = EXCLUDED.product,
    jodo_student_id = COALESCE(EXCLUDED.jodo_student_id, erp_payment.jodo_student_id),
    student_identifier = COALESCE(EXCLUDED.student_identifier, erp_payment.student_identifier),
    status = EXCLUDED.status,
    reversed = EXCLUDED.reversed,
    amount = COALESCE(EXCLUDED.amount, erp_payment.amount),
    currency = COALESCE(EXCLUDED.currency, erp_payment.currency),
    mode = COALESCE(EXCLUDED.mode, erp_payment.mode),
    paid_at = COALESCE(EXCLUDED.paid_at, erp_payment.paid_at),
    due_date = COALESCE(EXCLUDED.due_date, erp_payment.due_date),
    initial_due_date = COALESCE(EXCLUDED.initial_due_date, erp_payment.initial_due_date),
    reference_id = COALESCE(EXCLUDED.reference_id, erp_payment.reference_id),
    transaction_id = COALESCE(EXCLUDED.transaction_id, erp_payment.transaction_id),
    settlement_utr = COALESCE(EXCLUDED.settlement_utr, erp_payment.settlement_utr),
    remark = COALESCE(EXCLUDED.remark, erp_payment.remark),
    notes = COALESCE(EXCLUDED.notes, erp_payment.notes),
    payer_name = COALESCE(EXCLUDED.payer_name, erp_payment.payer_name),
    payer_phone = COALESCE(EXCLUDED.payer_phone, erp_payment.payer_phone),
    payer_email = COALESCE(EXCLUDED.payer_email, erp_payment.payer_email),
    subscription_id = COALESCE(EXCLUDED.subscription_id, erp_payment.subscription_id),
    event_id = EXCLUDED.event_id,
    occurred_at = EXCLUDED.occurred_at
-- only a record at least as new as the row replaces it (same second: the larger event_id, so any
-- delivery order ends in the same state)
WHERE (erp_payment.occurred_at, erp_payment.event_id) <= (EXCLUDED.occurred_at, EXCLUDED.event_id)
