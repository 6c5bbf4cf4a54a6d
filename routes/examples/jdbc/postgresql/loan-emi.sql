-- Cred EMIs (cred.emi.debited), recorded against the loan application.
INSERT INTO erp_loan_emi (payment_id, application_id, jodo_student_id, status, amount, due_date, paid_at, occurred_at, event_id)
VALUES (
        :#payment_id,
        :#loan_application_id,
        :#jodo_student_id,
        :#payment_status,
        :#payment_amount,
        :#payment_due_date,
        :#payment_paid_at,
        :#occurred_at,
        :#event_id)
ON CONFLICT (payment_id) DO UPDATE SET
    application_id = COALESCE(EXCLUDED.application_id, erp_loan_emi.application_id),
    jodo_student_id = COALESCE(EXCLUDED.jodo_student_id, erp_loan_emi.jodo_student_id),
    status = EXCLUDED.status,
    amount = COALESCE(EXCLUDED.amount, erp_loan_emi.amount),
    due_date = COALESCE(EXCLUDED.due_date, erp_loan_emi.due_date),
    paid_at = COALESCE(EXCLUDED.paid_at, erp_loan_emi.paid_at),
    event_id = EXCLUDED.event_id,
    occurred_at = EXCLUDED.occurred_at
-- only a record at least as new as the row replaces it (same second: the larger event_id, so any
-- delivery order ends in the same state)
WHERE (erp_loan_emi.occurred_at, erp_loan_emi.event_id) <= (EXCLUDED.occurred_at, EXCLUDED.event_id)
