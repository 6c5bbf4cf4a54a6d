-- Example ERP schema (PostgreSQL) for the jdbc target. Times are UTC. Replace it with your ERP's own tables
-- and adapt the statements beside this file; every write is an upsert that never lets an older record
-- (occurred_at) overwrite a newer one. Two records of the same second: the larger event_id wins, so the
-- end state never depends on the order of delivery.

CREATE TABLE IF NOT EXISTS erp_student (
    jodo_student_id VARCHAR(64) NOT NULL PRIMARY KEY,
    identifier VARCHAR(128),
    custom_identifier VARCHAR(128),
    collector_code VARCHAR(64),
    fullname VARCHAR(256),
    grade_code VARCHAR(64),
    grade_name VARCHAR(128),
    academic_year_start INT,
    academic_year_end INT,
    contact_number VARCHAR(32),
    contact_email VARCHAR(256),
    notes VARCHAR(4000),
    status VARCHAR(16) NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    event_id VARCHAR(128) NOT NULL
);

CREATE TABLE IF NOT EXISTS erp_payment (
    id VARCHAR(128) NOT NULL PRIMARY KEY,
    product VARCHAR(16) NOT NULL,
    jodo_student_id VARCHAR(64),
    student_identifier VARCHAR(128),
    status VARCHAR(16) NOT NULL,
    reversed BOOLEAN NOT NULL,
    amount DECIMAL(14,2),
    currency VARCHAR(3),
    mode VARCHAR(32),
    paid_at TIMESTAMP,
    due_date DATE,
    initial_due_date DATE,
    reference_id VARCHAR(128),
    transaction_id VARCHAR(128),
    settlement_utr VARCHAR(128),
    remark VARCHAR(1000),
    notes VARCHAR(4000),
    payer_name VARCHAR(256),
    payer_phone VARCHAR(32),
    payer_email VARCHAR(256),
    subscription_id VARCHAR(128),
    occurred_at TIMESTAMP NOT NULL,
    event_id VARCHAR(128) NOT NULL,
    -- which record the lines (fee components / instalments) come from: the newest that had any
    lines_occurred_at TIMESTAMP,
    lines_event_id VARCHAR(128)
);

CREATE TABLE IF NOT EXISTS erp_payment_line (
    payment_id VARCHAR(128) NOT NULL,
    line_no INT NOT NULL,
    fee_component VARCHAR(128),
    amount DECIMAL(14,2),
    settlement_utr VARCHAR(128),
    settled_at TIMESTAMP,
    PRIMARY KEY (payment_id, line_no)
);

CREATE TABLE IF NOT EXISTS erp_subscription (
    id VARCHAR(128) NOT NULL PRIMARY KEY,
    jodo_student_id VARCHAR(64),
    status VARCHAR(32),
    mandate_id VARCHAR(128),
    mandate_status VARCHAR(32),
    mandate_reason VARCHAR(64),
    mandate_end_date DATE,
    occurred_at TIMESTAMP NOT NULL,
    event_id VARCHAR(128) NOT NULL,
    -- which record the lines (fee components / instalments) come from: the newest that had any
    lines_occurred_at TIMESTAMP,
    lines_event_id VARCHAR(128)
);

CREATE TABLE IF NOT EXISTS erp_subscription_instalment (
    subscription_id VARCHAR(128) NOT NULL,
    line_no INT NOT NULL,
    due_date DATE,
    amount DECIMAL(14,2),
    PRIMARY KEY (subscription_id, line_no)
);

CREATE TABLE IF NOT EXISTS erp_loan (
    application_id VARCHAR(128) NOT NULL PRIMARY KEY,
    jodo_student_id VARCHAR(64),
    status VARCHAR(32),
    amount DECIMAL(14,2),
    agreement_signed_at TIMESTAMP,
    occurred_at TIMESTAMP NOT NULL,
    event_id VARCHAR(128) NOT NULL
);

CREATE TABLE IF NOT EXISTS erp_loan_disbursement (
    application_id VARCHAR(128) NOT NULL,
    disbursement_id VARCHAR(128) NOT NULL,
    disbursement_date DATE,
    amount DECIMAL(14,2),
    disbursed_amount DECIMAL(14,2),
    is_disbursed BOOLEAN,
    occurred_at TIMESTAMP NOT NULL,
    event_id VARCHAR(128) NOT NULL,
    PRIMARY KEY (application_id, disbursement_id)
);

CREATE TABLE IF NOT EXISTS erp_loan_emi (
    payment_id VARCHAR(128) NOT NULL PRIMARY KEY,
    application_id VARCHAR(128),
    jodo_student_id VARCHAR(64),
    status VARCHAR(16) NOT NULL,
    amount DECIMAL(14,2),
    due_date DATE,
    paid_at TIMESTAMP,
    occurred_at TIMESTAMP NOT NULL,
    event_id VARCHAR(128) NOT NULL
);
