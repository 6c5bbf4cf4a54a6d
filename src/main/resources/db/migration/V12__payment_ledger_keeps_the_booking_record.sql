-- The record that last said a payment's money came in (added, updated, debited, settled), kept beside the winner:
-- when a bounce then outranks it, books that cannot be asked what they hold (Tally) are told to cancel the receipt
-- that record booked, as it was booked (its date, its ledgers). Set only while such a record wins, so a debit that
-- arrives after its bounce, which books nothing, never becomes one. Rows a money-in record wins today are their own.
ALTER TABLE payment_ledger ADD COLUMN booked_event_id VARCHAR(128);
UPDATE payment_ledger SET booked_event_id = event_id WHERE status IN ('ADDED', 'UPDATED', 'DEBITED', 'SETTLED');
