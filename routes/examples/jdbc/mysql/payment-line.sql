-- One fee component of a payment, written only by the record that took the lines over.
INSERT INTO erp_payment_line (payment_id, line_no, fee_component, amount, settlement_utr, settled_at)
SELECT :#payment_id,
       :#line_no,
       :#line_fee_component,
       :#line_amount,
       :#line_settlement_utr,
       :#line_settled_at
  FROM erp_payment
 WHERE id = :#payment_id AND lines_event_id = :#event_id
