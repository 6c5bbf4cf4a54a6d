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
ON DUPLICATE KEY UPDATE
    application_id = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(application_id), application_id) ELSE application_id END,
    jodo_student_id = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(jodo_student_id), jodo_student_id) ELSE jodo_student_id END,
    status = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN VALUES(status) ELSE status END,
    amount = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(amount), amount) ELSE amount END,
    due_date = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(due_date), due_date) ELSE due_date END,
    paid_at = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(paid_at), paid_at) ELSE paid_at END,
    event_id = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN VALUES(event_id) ELSE event_id END,
    -- last: the comparisons above see the row's old occurred_at (event_id, set just above, is not compared after it)
    occurred_at = GREATEST(occurred_at, VALUES(occurred_at))
