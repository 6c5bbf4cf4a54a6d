-- The bridge's own view of every payment it has seen (Cred EMIs aside: the parent pays the lender, not the school),
-- one row per Jodo payment id, kept by the same rule the targets follow: the record of highest
-- (precedence, occurred_at, event_id) wins. Reconciliation reads a day of it (paid_day, the day the money came in
-- in the school's time zone) and compares it with what each ERP holds.
CREATE TABLE payment_ledger (
    payment_id  VARCHAR(128) NOT NULL PRIMARY KEY,
    event_id    VARCHAR(128) NOT NULL,
    event_name  VARCHAR(100) NOT NULL,
    family      VARCHAR(32)  NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    precedence  INT          NOT NULL,
    amount      DECIMAL(16,2),
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    paid_day    DATE         NOT NULL
);
CREATE INDEX payment_ledger_day ON payment_ledger (paid_day);
