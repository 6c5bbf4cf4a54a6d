-- One fee component of a payment, written only by the record that took the lines over.
INSERT INTO erp_payment_line (payment_id, line_no, fee_component, amount, settlement_utr, settled_at)
SELECT CAST(:#payment_id AS VARCHAR(128)),
       CAST(:#line_no AS INT),
       CAST(:#line_fee_component AS VARCHAR(128)),
       CAST(:#line_amount AS DECIMAL(14,2)),
       CAST(:#line_settlement_utr AS VARCHAR(128)),
       CAST(:#line_settled_at AS TIMESTAMP)
  FROM erp_payment
 WHERE id = :#payment_id AND lines_event_id = :#event_id
