-- One instalment of a subscription's schedule, written only by the record that took the lines over.
INSERT INTO erp_subscription_instalment (subscription_id, line_no, due_date, amount)
SELECT :#subscription_id,
       :#line_no,
       :#line_due_date,
       :#line_amount
  FROM erp_subscription
 WHERE id = :#subscription_id AND lines_event_id = :#event_id
