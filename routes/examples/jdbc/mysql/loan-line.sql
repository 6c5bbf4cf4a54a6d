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
ON DUPLICATE KEY UPDATE
    disbursement_date = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(disbursement_date), disbursement_date) ELSE disbursement_date END,
    amount = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(amount), amount) ELSE amount END,
    disbursed_amount = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(disbursed_amount), disbursed_amount) ELSE disbursed_amount END,
    is_disbursed = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(is_disbursed), is_disbursed) ELSE is_disbursed END,
    event_id = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN VALUES(event_id) ELSE event_id END,
    -- last: the comparisons above see the row's old occurred_at (event_id, set just above, is not compared after it)
    occurred_at = GREATEST(occurred_at, VALUES(occurred_at))
