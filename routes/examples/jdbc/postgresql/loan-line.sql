-- One disbursement of a loan (a list on agreement_signed, one on disbursed), upserted on its own.
INSERT INTO erp_loan_disbursement (application_id, disbursement_id, disbursement_date, amount, disbursed_amount, is_disbursed, occurred_at, event_id)
VALUES (
        :#loan_application_id,
        :#line_id,
        :#line_date,
        :#line_amount,
        :#line_disbursed_amount,
        :#line_is_disbursed,
        :#occurred_at,
        :#event_id)
ON CONFLICT (application_id, disbursement_id) DO UPDATE SET
    disbursement_date = COALESCE(EXCLUDED.disbursement_date, erp_loan_disbursement.disbursement_date),
    amount = COALESCE(EXCLUDED.amount, erp_loan_disbursement.amount),
    disbursed_amount = COALESCE(EXCLUDED.disbursed_amount, erp_loan_disbursement.disbursed_amount),
    is_disbursed = COALESCE(EXCLUDED.is_disbursed, erp_loan_disbursement.is_disbursed),
    event_id = EXCLUDED.event_id,
    occurred_at = EXCLUDED.occurred_at
-- only a record at least as new as the row replaces it (same second: the larger event_id, so any
-- delivery order ends in the same state)
WHERE (erp_loan_disbursement.occurred_at, erp_loan_disbursement.event_id) <= (EXCLUDED.occurred_at, EXCLUDED.event_id)
