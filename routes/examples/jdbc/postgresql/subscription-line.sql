-- One instalment of a subscription's schedule, written only by the record that took the lines over.
INSERT INTO erp_subscription_instalment (subscription_id, line_no, due_date, amount)
SELECT CAST(:#subscription_id AS VARCHAR(128)),
       CAST(:#line_no AS INT),
       CAST(:#line_due_date AS DATE),
       CAST(:#line_amount AS DECIMAL(14,2))
  FROM erp_subscription
 WHERE id = :#subscription_id AND lines_event_id = :#event_id
