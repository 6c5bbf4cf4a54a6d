-- Cred loan applications (cred.loan.*).
INSERT INTO erp_loan (application_id, jodo_student_id, status, amount, agreement_signed_at, occurred_at, event_id)
VALUES (
        :#loan_application_id,
        :#jodo_student_id,
        :#loan_status,
        :#loan_amount,
        :#loan_agreement_signed_at,
        :#occurred_at,
        :#event_id)
ON CONFLICT (application_id) DO UPDATE SET
    jodo_student_id = COALESCE(EXCLUDED.jodo_student_id, erp_loan.jodo_student_id),
    status = COALESCE(EXCLUDED.status, erp_loan.status),
    amount = COALESCE(EXCLUDED.amount, erp_loan.amount),
    agreement_signed_at = COALESCE(EXCLUDED.agreement_signed_at, erp_loan.agreement_signed_at),
    event_id = EXCLUDED.event_id,
    occurred_at = EXCLUDED.occurred_at
-- only a record at least as new as the row replaces it (same second: the larger event_id, so any
-- delivery order ends in the same state)
WHERE (erp_loan.occurred_at, erp_loan.event_id) <= (EXCLUDED.occurred_at, EXCLUDED.event_id)
