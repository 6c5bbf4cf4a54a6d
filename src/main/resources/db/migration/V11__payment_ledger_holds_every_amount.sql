-- The intake lets amounts through with up to 15 digits before the decimal point (JodoJson.MAX_INTEGER_DIGITS), and
-- the ledger must hold every one of them: DECIMAL(16,2) kept 14, and a larger payment parked its event with the
-- database's overflow instead of reaching the books. Widening keeps every value (both stores change it in place).
ALTER TABLE payment_ledger ALTER COLUMN amount SET DATA TYPE DECIMAL(17,2);
