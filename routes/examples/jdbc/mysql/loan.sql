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
ON DUPLICATE KEY UPDATE
    jodo_student_id = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(jodo_student_id), jodo_student_id) ELSE jodo_student_id END,
    status = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(status), status) ELSE status END,
    amount = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(amount), amount) ELSE amount END,
    agreement_signed_at = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(agreement_signed_at), agreement_signed_at) ELSE agreement_signed_at END,
    event_id = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN VALUES(event_id) ELSE event_id END,
    -- last: the comparisons above see the row's old occurred_at (event_id, set just above, is not compared after it)
    occurred_at = GREATEST(occurred_at, VALUES(occurred_at))
