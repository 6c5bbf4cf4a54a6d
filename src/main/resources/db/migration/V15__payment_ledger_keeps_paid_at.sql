-- A payment is reconciled on the day its money was paid (paid_at) once a record of it has said when: a bounce, which
-- says no paid_at, leaves the payment on the day of the debit it undoes, as the ERP keeps that payment's paid_at
-- (routes/examples/jdbc: "paid_at stays the original payment's"). On the bounce's day instead, the bridge listed a
-- payment the ERP's query finds on the debit's day, a "missing_in_erp" no replay could mend. The ledger keeps the
-- paid_at it reckons with, to tell a day that came from one from a day that fell back to a record's time. Rows
-- written before this have none: the next record that wins one sets its day, as before.
ALTER TABLE payment_ledger ADD COLUMN paid_at TIMESTAMP WITH TIME ZONE;
