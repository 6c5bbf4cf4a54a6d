-- Changes since the first version of schema.sql, for ERP tables created before them. Each dated section runs once:
-- run those after the last one your tables have (a section adds columns, and fails where they are there already).
-- 2026-12-02: tables of the first release (before these sections): each record's status rank, so final states stay
-- final, set for the rows there already from their status; the student on every money row; student ids of 128.
ALTER TABLE erp_student
    ALTER COLUMN jodo_student_id TYPE VARCHAR(128),
    ADD COLUMN status_rank INT,
    ADD COLUMN status_occurred_at TIMESTAMP,
    ADD COLUMN status_event_id VARCHAR(128);
-- Their status came from the masterdata event the row has (the first release kept no student seen only on payments).
UPDATE erp_student SET status_rank = CASE WHEN status = 'DROPPED' THEN 2 ELSE 1 END,
    status_occurred_at = occurred_at, status_event_id = event_id;
ALTER TABLE erp_payment
    ALTER COLUMN jodo_student_id TYPE VARCHAR(128),
    ADD COLUMN student_custom_identifier VARCHAR(128),
    ADD COLUMN student_name VARCHAR(256),
    ADD COLUMN collector_code VARCHAR(64),
    ADD COLUMN grade_code VARCHAR(64),
    ADD COLUMN grade_name VARCHAR(128),
    ADD COLUMN academic_year_start INT,
    ADD COLUMN academic_year_end INT,
    ADD COLUMN status_rank INT,
    ADD COLUMN reversed_at TIMESTAMP,
    ADD COLUMN version VARCHAR(16),
    ADD COLUMN lines_status_rank INT;
UPDATE erp_payment SET status_rank = CASE WHEN status = 'SETTLED' THEN 2
    WHEN status IN ('CANCELLED', 'REVERSED', 'BOUNCED', 'FAILED', 'EXPIRED') THEN 3 ELSE 1 END;
-- A reversed row's record is the one that reversed it: its time is the reversal's.
UPDATE erp_payment SET reversed_at = occurred_at WHERE reversed = TRUE;
-- Lines a row's own record brought rank as it does; others as the lowest: any newer record with lines takes over.
UPDATE erp_payment SET lines_status_rank = CASE WHEN lines_event_id = event_id THEN status_rank ELSE 1 END
 WHERE lines_event_id IS NOT NULL;
ALTER TABLE erp_payment
    ALTER COLUMN status_rank SET NOT NULL;
ALTER TABLE erp_subscription
    ALTER COLUMN jodo_student_id TYPE VARCHAR(128),
    ADD COLUMN status_rank INT,
    ADD COLUMN lines_status_rank INT;
UPDATE erp_subscription SET status_rank = CASE WHEN status IS NULL THEN 0 WHEN status IN ('active', 'locked') THEN 2
    WHEN status IN ('cancelled', 'closed') THEN 3 ELSE 1 END;
UPDATE erp_subscription SET lines_status_rank = CASE WHEN lines_event_id = event_id THEN status_rank ELSE 1 END
 WHERE lines_event_id IS NOT NULL;
ALTER TABLE erp_subscription
    ALTER COLUMN status_rank SET NOT NULL;
ALTER TABLE erp_loan
    ALTER COLUMN jodo_student_id TYPE VARCHAR(128),
    ADD COLUMN student_identifier VARCHAR(128),
    ADD COLUMN academic_year_start INT,
    ADD COLUMN academic_year_end INT,
    ADD COLUMN status_rank INT;
UPDATE erp_loan SET status_rank = CASE WHEN status IS NULL THEN 0 WHEN status = 'application_filled' THEN 2
    WHEN status = 'final_approved' THEN 3 WHEN status = 'agreement_signed' THEN 4 WHEN status = 'disbursed' THEN 5
    WHEN status IN ('rejected', 'canceled', 'application_expired') THEN 6 ELSE 1 END;
ALTER TABLE erp_loan
    ALTER COLUMN status_rank SET NOT NULL;
ALTER TABLE erp_loan_emi
    ALTER COLUMN jodo_student_id TYPE VARCHAR(128),
    ADD COLUMN student_identifier VARCHAR(128),
    ADD COLUMN student_custom_identifier VARCHAR(128),
    ADD COLUMN student_name VARCHAR(256),
    ADD COLUMN collector_code VARCHAR(64),
    ADD COLUMN grade_code VARCHAR(64),
    ADD COLUMN grade_name VARCHAR(128),
    ADD COLUMN academic_year_start INT,
    ADD COLUMN academic_year_end INT,
    ADD COLUMN status_rank INT,
    ADD COLUMN version VARCHAR(16);
UPDATE erp_loan_emi SET status_rank = CASE WHEN status = 'SETTLED' THEN 2
    WHEN status IN ('CANCELLED', 'REVERSED', 'BOUNCED', 'FAILED', 'EXPIRED') THEN 3 ELSE 1 END;
ALTER TABLE erp_loan_emi
    ALTER COLUMN status_rank SET NOT NULL;
-- 2026-12-03: the student and school year of a Flex fee plan; the student's details on a Cred loan.
ALTER TABLE erp_subscription
    ADD COLUMN student_identifier VARCHAR(128),
    ADD COLUMN student_custom_identifier VARCHAR(128),
    ADD COLUMN student_name VARCHAR(256),
    ADD COLUMN collector_code VARCHAR(64),
    ADD COLUMN grade_code VARCHAR(64),
    ADD COLUMN grade_name VARCHAR(128),
    ADD COLUMN academic_year_start INT,
    ADD COLUMN academic_year_end INT;
ALTER TABLE erp_loan
    ADD COLUMN student_custom_identifier VARCHAR(128),
    ADD COLUMN student_name VARCHAR(256),
    ADD COLUMN collector_code VARCHAR(64),
    ADD COLUMN grade_code VARCHAR(64),
    ADD COLUMN grade_name VARCHAR(128);
-- 2026-12-07: free text unbounded (VARCHAR(1000) and VARCHAR(4000) made a payment with a longer note a dead letter).
ALTER TABLE erp_payment
    ALTER COLUMN remark TYPE TEXT,
    ALTER COLUMN notes TYPE TEXT;
ALTER TABLE erp_student
    ALTER COLUMN notes TYPE TEXT;
-- 2026-12-07 (mandates): which record a subscription's mandate comes from (subscription-mandate.sql), so the newest
-- one decides in every delivery order. A row kept keeps its mandate until the next record that carries one.
ALTER TABLE erp_subscription
    ADD COLUMN mandate_occurred_at TIMESTAMP,
    ADD COLUMN mandate_event_id VARCHAR(128);
-- 2026-12-07 (student values): which record each of a student's details comes from (student.sql), so the newest
-- record that carries a value decides it in every delivery order. A row kept counts its values as its newest
-- record's: a newer record that carries one replaces it, an older one never does.
ALTER TABLE erp_student
    ADD COLUMN identifier_from VARCHAR(160),
    ADD COLUMN custom_identifier_from VARCHAR(160),
    ADD COLUMN collector_code_from VARCHAR(160),
    ADD COLUMN fullname_from VARCHAR(160),
    ADD COLUMN grade_from VARCHAR(160),
    ADD COLUMN academic_year_from VARCHAR(160),
    ADD COLUMN contact_number_from VARCHAR(160),
    ADD COLUMN contact_email_from VARCHAR(160),
    ADD COLUMN notes_from VARCHAR(160);
UPDATE erp_student SET
    identifier_from = CASE WHEN identifier IS NOT NULL THEN to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' || event_id END,
    custom_identifier_from = CASE WHEN custom_identifier IS NOT NULL THEN to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' || event_id END,
    collector_code_from = CASE WHEN collector_code IS NOT NULL THEN to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' || event_id END,
    fullname_from = CASE WHEN fullname IS NOT NULL THEN to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' || event_id END,
    grade_from = CASE WHEN grade_code IS NOT NULL OR grade_name IS NOT NULL THEN to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' || event_id END,
    academic_year_from = CASE WHEN academic_year_start IS NOT NULL OR academic_year_end IS NOT NULL THEN to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' || event_id END,
    contact_number_from = CASE WHEN contact_number IS NOT NULL THEN to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' || event_id END,
    contact_email_from = CASE WHEN contact_email IS NOT NULL THEN to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' || event_id END,
    notes_from = CASE WHEN notes IS NOT NULL THEN to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' || event_id END;
