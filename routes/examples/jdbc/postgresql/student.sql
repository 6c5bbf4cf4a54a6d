-- Every record that names a Jodo student keeps its erp_student row (written first, before any money row, so
-- two records of one student always lock in the same order). This statement creates the row when it is
-- missing, and brings its details up to date; student-update.sql keeps which record is the newest, and
-- student-status.sql the status.
-- Status: a masterdata event sets it ("dropped": DROPPED, "registered"/"activated": ACTIVE); a student first seen
-- on a payment starts ACTIVE until a masterdata event says otherwise.
-- Details: each value (the grade's code and name as one, the school year's start and end as one) is the newest
-- record's that carries it, whatever its kind. Beside each, <value>_from keeps that record's :#record_key (its time,
-- then its event id, as one text that sorts the same way), so a value changes only for a newer record that carries
-- it: records that disagree (notes changed between registration and activation, the newest record a payment
-- without any) end as the newest says in every delivery order. Only a change updates the row (PostgreSQL writes a
-- new version of a row for every update).
INSERT INTO erp_student (jodo_student_id, identifier, custom_identifier, collector_code, fullname, grade_code, grade_name, academic_year_start, academic_year_end, contact_number, contact_email, notes, status, status_rank, status_occurred_at, status_event_id, occurred_at, event_id,
                         identifier_from, custom_identifier_from, collector_code_from, fullname_from, grade_from, academic_year_from, contact_number_from, contact_email_from, notes_from)
VALUES (
        :#jodo_student_id,
        :#student_identifier,
        :#student_custom_identifier,
        :#student_collector_code,
        :#student_fullname,
        :#student_grade_code,
        :#student_grade_name,
        :#student_academic_year_start,
        :#student_academic_year_end,
        :#student_contact_number,
        :#student_contact_email,
        :#student_notes,
        CASE WHEN CAST(:#kind AS VARCHAR(16)) = 'student' AND CAST(:#action AS VARCHAR(64)) = 'dropped' THEN 'DROPPED' ELSE 'ACTIVE' END,
        CASE WHEN CAST(:#kind AS VARCHAR(16)) = 'student' THEN CASE WHEN CAST(:#action AS VARCHAR(64)) = 'dropped' THEN 2 ELSE 1 END END,
        CASE WHEN CAST(:#kind AS VARCHAR(16)) = 'student' THEN CAST(:#occurred_at AS TIMESTAMP) END,
        CASE WHEN CAST(:#kind AS VARCHAR(16)) = 'student' THEN CAST(:#event_id AS VARCHAR(128)) END,
        :#occurred_at,
        :#event_id,
        CASE WHEN CAST(:#student_identifier AS VARCHAR(128)) IS NOT NULL THEN CAST(:#record_key AS VARCHAR(160)) END,
        CASE WHEN CAST(:#student_custom_identifier AS VARCHAR(128)) IS NOT NULL THEN CAST(:#record_key AS VARCHAR(160)) END,
        CASE WHEN CAST(:#student_collector_code AS VARCHAR(64)) IS NOT NULL THEN CAST(:#record_key AS VARCHAR(160)) END,
        CASE WHEN CAST(:#student_fullname AS VARCHAR(256)) IS NOT NULL THEN CAST(:#record_key AS VARCHAR(160)) END,
        CASE WHEN CAST(:#student_grade_code AS VARCHAR(64)) IS NOT NULL OR CAST(:#student_grade_name AS VARCHAR(128)) IS NOT NULL THEN CAST(:#record_key AS VARCHAR(160)) END,
        CASE WHEN CAST(:#student_academic_year_start AS INT) IS NOT NULL OR CAST(:#student_academic_year_end AS INT) IS NOT NULL THEN CAST(:#record_key AS VARCHAR(160)) END,
        CASE WHEN CAST(:#student_contact_number AS VARCHAR(32)) IS NOT NULL THEN CAST(:#record_key AS VARCHAR(160)) END,
        CASE WHEN CAST(:#student_contact_email AS VARCHAR(256)) IS NOT NULL THEN CAST(:#record_key AS VARCHAR(160)) END,
        CASE WHEN CAST(:#student_notes AS TEXT) IS NOT NULL THEN CAST(:#record_key AS VARCHAR(160)) END)
ON CONFLICT (jodo_student_id) DO UPDATE SET
    identifier = CASE WHEN EXCLUDED.identifier_from > COALESCE(erp_student.identifier_from, '') THEN EXCLUDED.identifier ELSE erp_student.identifier END,
    identifier_from = GREATEST(erp_student.identifier_from, EXCLUDED.identifier_from),
    custom_identifier = CASE WHEN EXCLUDED.custom_identifier_from > COALESCE(erp_student.custom_identifier_from, '') THEN EXCLUDED.custom_identifier ELSE erp_student.custom_identifier END,
    custom_identifier_from = GREATEST(erp_student.custom_identifier_from, EXCLUDED.custom_identifier_from),
    collector_code = CASE WHEN EXCLUDED.collector_code_from > COALESCE(erp_student.collector_code_from, '') THEN EXCLUDED.collector_code ELSE erp_student.collector_code END,
    collector_code_from = GREATEST(erp_student.collector_code_from, EXCLUDED.collector_code_from),
    fullname = CASE WHEN EXCLUDED.fullname_from > COALESCE(erp_student.fullname_from, '') THEN EXCLUDED.fullname ELSE erp_student.fullname END,
    fullname_from = GREATEST(erp_student.fullname_from, EXCLUDED.fullname_from),
    grade_code = CASE WHEN EXCLUDED.grade_from > COALESCE(erp_student.grade_from, '') THEN EXCLUDED.grade_code ELSE erp_student.grade_code END,
    grade_name = CASE WHEN EXCLUDED.grade_from > COALESCE(erp_student.grade_from, '') THEN EXCLUDED.grade_name ELSE erp_student.grade_name END,
    grade_from = GREATEST(erp_student.grade_from, EXCLUDED.grade_from),
    academic_year_start = CASE WHEN EXCLUDED.academic_year_from > COALESCE(erp_student.academic_year_from, '') THEN EXCLUDED.academic_year_start ELSE erp_student.academic_year_start END,
    academic_year_end = CASE WHEN EXCLUDED.academic_year_from > COALESCE(erp_student.academic_year_from, '') THEN EXCLUDED.academic_year_end ELSE erp_student.academic_year_end END,
    academic_year_from = GREATEST(erp_student.academic_year_from, EXCLUDED.academic_year_from),
    contact_number = CASE WHEN EXCLUDED.contact_number_from > COALESCE(erp_student.contact_number_from, '') THEN EXCLUDED.contact_number ELSE erp_student.contact_number END,
    contact_number_from = GREATEST(erp_student.contact_number_from, EXCLUDED.contact_number_from),
    contact_email = CASE WHEN EXCLUDED.contact_email_from > COALESCE(erp_student.contact_email_from, '') THEN EXCLUDED.contact_email ELSE erp_student.contact_email END,
    contact_email_from = GREATEST(erp_student.contact_email_from, EXCLUDED.contact_email_from),
    notes = CASE WHEN EXCLUDED.notes_from > COALESCE(erp_student.notes_from, '') THEN EXCLUDED.notes ELSE erp_student.notes END,
    notes_from = GREATEST(erp_student.notes_from, EXCLUDED.notes_from)
 WHERE EXCLUDED.identifier_from > COALESCE(erp_student.identifier_from, '')
    OR EXCLUDED.custom_identifier_from > COALESCE(erp_student.custom_identifier_from, '')
    OR EXCLUDED.collector_code_from > COALESCE(erp_student.collector_code_from, '')
    OR EXCLUDED.fullname_from > COALESCE(erp_student.fullname_from, '')
    OR EXCLUDED.grade_from > COALESCE(erp_student.grade_from, '')
    OR EXCLUDED.academic_year_from > COALESCE(erp_student.academic_year_from, '')
    OR EXCLUDED.contact_number_from > COALESCE(erp_student.contact_number_from, '')
    OR EXCLUDED.contact_email_from > COALESCE(erp_student.contact_email_from, '')
    OR EXCLUDED.notes_from > COALESCE(erp_student.notes_from, '')
