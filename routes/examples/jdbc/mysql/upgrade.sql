-- Changes since the first version of schema.sql, for ERP tables created before them. Each dated section runs once:
-- run those after the last one your tables have (the first adds columns, and fails where they are there already).
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
-- 2026-12-07: free text unbounded (it was VARCHAR(1000) and VARCHAR(4000): a longer note made its payment a dead letter).
ALTER TABLE erp_payment
    MODIFY COLUMN remark MEDIUMTEXT,
    MODIFY COLUMN notes MEDIUMTEXT;
ALTER TABLE erp_student
    MODIFY COLUMN notes MEDIUMTEXT;
