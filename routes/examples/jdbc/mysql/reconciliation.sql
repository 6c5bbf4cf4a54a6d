-- Reconciliation (bridge.targets.<name>.options.reconciliation): the ERP's own view of the payments paid on a day,
-- for the bridge to compare with what it delivered. :from and :to are the day's bounds in UTC (the school's day);
-- answer payment_id, amount and status (Jodo's payment id, the amount booked, the status the ERP holds).
SELECT id AS payment_id, amount, status
  FROM erp_payment
 WHERE COALESCE(paid_at, occurred_at) >= :from AND COALESCE(paid_at, occurred_at) < :to
