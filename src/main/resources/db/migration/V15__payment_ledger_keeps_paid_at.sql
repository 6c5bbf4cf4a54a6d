-- A payment is reconciled on the day its money was paid (paid_at) once any record of it has said when: a bounce,
-- which says no paid_at, leaves the payment on the day of the debit it undoes, whichever of the two came first, as
-- the ERP examples keep that payment's paid_at (routes/examples/jdbc/*/payment.sql). On the bounce's day instead,
-- the bridge listed a payment the ERP's query finds on the debit's day: a "missing_in_erp" no replay could mend.
-- The ledger keeps the paid_at it reckons with, to tell a day that came from one from a day that fell back to a
-- record's time. Rows written before this have none; the next record with a paid_at sets their day from it.
ALTER TABLE payment_ledger ADD COLUMN paid_at TIMESTAMP WITH TIME ZONE;
