-- Example ERP schema (MariaDB or MySQL, and H2 in MODE=MySQL) for the jdbc target. Times are UTC. Replace it with your ERP's own tables
-- and adapt the statements beside this file.
-- Jodo's ids (payment, order, student, subscription, application, event) fit in 128 characters: the bridge
-- refuses a longer one at mapping, so no row is held up by a key its column cannot take. Free text (a payment's
-- remark, notes) has no documented length and is MEDIUMTEXT, so a long note never holds up a payment; a value longer
-- than another column holds makes its record a dead letter naming the column.
--
-- How records supersede each other (every delivery order ends in the same rows, but see the last point):
-- * payments, EMIs, subscriptions, loans: by (status_rank, occurred_at, event_id). status_rank is the canonical
--   record's precedence of the status: a record of higher precedence always wins whatever the times, so final
--   states stay final (a cancelled payment is never "added" again); within one precedence the newer record wins,
--   on the same second the larger event_id.
--     payment: ADDED, UPDATED, DEBITED 1 < SETTLED 2 < CANCELLED, REVERSED, BOUNCED, FAILED, EXPIRED 3
--     subscription: setup 1 < active, locked 2 < cancelled, closed 3
--     loan: application_started 1 < application_filled 2 < final_approved 3 < agreement_signed 4 < disbursed 5
--           < rejected, canceled, application_expired 6
-- * students: each detail (the grade as one, the school year as one) from the newest record of any kind that names
--   the student and carries it (occurred_at, event_id), kept beside it in <value>_from; status from masterdata
--   events only, newest first, "dropped" ahead of "activated"/"registered" on the same second.
-- * lines (fee components, instalments) come whole from the newest record, in the same order, that carries any.
-- * a subscription's mandate (id, status, reason, end date) comes whole from the newest record that carries one
--   (occurred_at, event_id), whatever the subscription's status: a mandate cancelled and another expired end as the
--   newer says, never as a mix of the two.
-- * on money rows, fee plans and loans, a value the winning record does not carry is kept from the other records,
--   whichever came first: a bounced instalment keeps its debit's paid_at and reference (and so its day). Where those
--   records disagree on it (the student's name changed between a plan's setup and its update, the winner an
--   activation without any), arrival order decides: a value that needs the newest in every order needs a time of
--   its own, as the mandate and the student's details have.
--
-- Every money row (erp_payment, erp_loan_emi), every fee plan (erp_subscription, whose instalments join it) and
-- every loan (erp_loan, whose disbursements join it) carries the student as the event described them: academic
-- year, grade, identifier, custom identifier (admission number), name and branch (collector_code). Tables created
-- by an earlier version: upgrade.sql adds the columns.

CREATE TABLE IF NOT EXISTS erp_student (
    jodo_student_id VARCHAR(128) NOT NULL PRIMARY KEY,
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
    notes MEDIUMTEXT,
    status VARCHAR(16) NOT NULL,
    -- which masterdata event set the status (null: first seen on a payment, assumed ACTIVE)
    status_rank INT,
    status_occurred_at DATETIME,
    status_event_id VARCHAR(128),
    -- the newest record that names the student
    occurred_at DATETIME NOT NULL,
    event_id VARCHAR(128) NOT NULL,
    -- which record each value comes from (student.sql): its record_key, "2024-06-01T08:45:00Z <event_id>" (null: no
    -- record carried the value yet, or a row older than upgrade.sql's "student values")
    identifier_from VARCHAR(160),
    custom_identifier_from VARCHAR(160),
    collector_code_from VARCHAR(160),
    fullname_from VARCHAR(160),
    grade_from VARCHAR(160),
    academic_year_from VARCHAR(160),
    contact_number_from VARCHAR(160),
    contact_email_from VARCHAR(160),
    notes_from VARCHAR(160)
);

CREATE TABLE IF NOT EXISTS erp_payment (
    id VARCHAR(128) NOT NULL PRIMARY KEY,
    product VARCHAR(16) NOT NULL,
    jodo_student_id VARCHAR(128),
    student_identifier VARCHAR(128),
    student_custom_identifier VARCHAR(128),
    student_name VARCHAR(256),
    collector_code VARCHAR(64),
    grade_code VARCHAR(64),
    grade_name VARCHAR(128),
    academic_year_start INT,
    academic_year_end INT,
    status VARCHAR(16) NOT NULL,
    status_rank INT NOT NULL,
    reversed BOOLEAN NOT NULL,
    -- when the cancelling (reversing) event happened; paid_at stays the original payment's
    reversed_at DATETIME,
    amount DECIMAL(14,2),
    currency VARCHAR(3),
    mode VARCHAR(32),
    paid_at DATETIME,
    due_date DATE,
    initial_due_date DATE,
    reference_id VARCHAR(128),
    transaction_id VARCHAR(128),
    settlement_utr VARCHAR(128),
    remark MEDIUMTEXT,
    notes MEDIUMTEXT,
    payer_name VARCHAR(256),
    payer_phone VARCHAR(32),
    payer_email VARCHAR(256),
    subscription_id VARCHAR(128),
    version VARCHAR(16),
    occurred_at DATETIME NOT NULL,
    event_id VARCHAR(128) NOT NULL,
    -- which record the lines (fee components / instalments) come from, in the order above
    lines_status_rank INT,
    lines_occurred_at DATETIME,
    lines_event_id VARCHAR(128)
);

CREATE TABLE IF NOT EXISTS erp_payment_line (
    payment_id VARCHAR(128) NOT NULL,
    line_no INT NOT NULL,
    fee_component VARCHAR(128),
    amount DECIMAL(14,2),
    settlement_utr VARCHAR(128),
    settled_at DATETIME,
    PRIMARY KEY (payment_id, line_no)
);

CREATE TABLE IF NOT EXISTS erp_subscription (
    id VARCHAR(128) NOT NULL PRIMARY KEY,
    jodo_student_id VARCHAR(128),
    -- the student the plan is for, as its newest record described them (the instalments' rows join it)
    student_identifier VARCHAR(128),
    student_custom_identifier VARCHAR(128),
    student_name VARCHAR(256),
    collector_code VARCHAR(64),
    grade_code VARCHAR(64),
    grade_name VARCHAR(128),
    academic_year_start INT,
    academic_year_end INT,
    status VARCHAR(32),
    status_rank INT NOT NULL,
    mandate_id VARCHAR(128),
    mandate_status VARCHAR(32),
    mandate_reason VARCHAR(64),
    mandate_end_date DATE,
    -- which record the mandate comes from (null: none yet, or a row older than upgrade.sql's "mandates")
    mandate_occurred_at DATETIME,
    mandate_event_id VARCHAR(128),
    occurred_at DATETIME NOT NULL,
    event_id VARCHAR(128) NOT NULL,
    -- which record the lines (fee components / instalments) come from, in the order above
    lines_status_rank INT,
    lines_occurred_at DATETIME,
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
    jodo_student_id VARCHAR(128),
    student_identifier VARCHAR(128),
    student_custom_identifier VARCHAR(128),
    student_name VARCHAR(256),
    collector_code VARCHAR(64),
    grade_code VARCHAR(64),
    grade_name VARCHAR(128),
    academic_year_start INT,
    academic_year_end INT,
    status VARCHAR(32),
    status_rank INT NOT NULL,
    amount DECIMAL(14,2),
    agreement_signed_at DATETIME,
    occurred_at DATETIME NOT NULL,
    event_id VARCHAR(128) NOT NULL
);

CREATE TABLE IF NOT EXISTS erp_loan_disbursement (
    application_id VARCHAR(128) NOT NULL,
    disbursement_id VARCHAR(128) NOT NULL,
    disbursement_date DATE,
    amount DECIMAL(14,2),
    disbursed_amount DECIMAL(14,2),
    is_disbursed BOOLEAN,
    occurred_at DATETIME NOT NULL,
    event_id VARCHAR(128) NOT NULL,
    PRIMARY KEY (application_id, disbursement_id)
);

CREATE TABLE IF NOT EXISTS erp_loan_emi (
    payment_id VARCHAR(128) NOT NULL PRIMARY KEY,
    application_id VARCHAR(128),
    jodo_student_id VARCHAR(128),
    student_identifier VARCHAR(128),
    student_custom_identifier VARCHAR(128),
    student_name VARCHAR(256),
    collector_code VARCHAR(64),
    grade_code VARCHAR(64),
    grade_name VARCHAR(128),
    academic_year_start INT,
    academic_year_end INT,
    status VARCHAR(16) NOT NULL,
    status_rank INT NOT NULL,
    amount DECIMAL(14,2),
    due_date DATE,
    paid_at DATETIME,
    version VARCHAR(16),
    occurred_at DATETIME NOT NULL,
    event_id VARCHAR(128) NOT NULL
);
