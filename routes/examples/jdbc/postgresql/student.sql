-- Every record that names a Jodo student keeps its erp_student row (written first, before any money row, so
-- two records of one student always lock in the same order). This statement creates the row when it is
-- missing; student-update.sql and student-status.sql bring it up to date.
-- Status: a masterdata event sets it ("dropped": DROPPED, "registered"/"activated": ACTIVE); a student first seen
-- on a payment starts ACTIVE until a masterdata event says otherwise.
-- A record that does not supersede the row still fills the values it lacks, so every delivery order ends in
-- the same row (updating only when there is a gap: PostgreSQL writes a new version of a row for every update).
INSERT INTO erp_student (jodo_student_id, identifier, custom_identifier, collector_code, fullname, grade_code, grade_name, academic_year_start, academic_year_end, contact_number, contact_email, notes, status, status_rank, status_occurred_at, status_event_id, occurred_at, event_id)
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
        :#event_id)
ON CONFLICT (jodo_student_id) DO UPDATE SET
    identifier = COALESCE(erp_student.identifier, EXCLUDED.identifier),
    custom_identifier = COALESCE(erp_student.custom_identifier, EXCLUDED.custom_identifier),
    collector_code = COALESCE(erp_student.collector_code, EXCLUDED.collector_code),
    fullname = COALESCE(erp_student.fullname, EXCLUDED.fullname),
    grade_code = COALESCE(erp_student.grade_code, EXCLUDED.grade_code),
    grade_name = COALESCE(erp_student.grade_name, EXCLUDED.grade_name),
    academic_year_start = COALESCE(erp_student.academic_year_start, EXCLUDED.academic_year_start),
    academic_year_end = COALESCE(erp_student.academic_year_end, EXCLUDED.academic_year_end),
    contact_number = COALESCE(erp_student.contact_number, EXCLUDED.contact_number),
    contact_email = COALESCE(erp_student.contact_email, EXCLUDED.contact_email),
    notes = COALESCE(erp_student.notes, EXCLUDED.notes)
 WHERE (erp_student.identifier IS NULL AND EXCLUDED.identifier IS NOT NULL)
    OR (erp_student.custom_identifier IS NULL AND EXCLUDED.custom_identifier IS NOT NULL)
    OR (erp_student.collector_code IS NULL AND EXCLUDED.collector_code IS NOT NULL)
    OR (erp_student.fullname IS NULL AND EXCLUDED.fullname IS NOT NULL)
    OR (erp_student.grade_code IS NULL AND EXCLUDED.grade_code IS NOT NULL)
    OR (erp_student.grade_name IS NULL AND EXCLUDED.grade_name IS NOT NULL)
    OR (erp_student.academic_year_start IS NULL AND EXCLUDED.academic_year_start IS NOT NULL)
    OR (erp_student.academic_year_end IS NULL AND EXCLUDED.academic_year_end IS NOT NULL)
    OR (erp_student.contact_number IS NULL AND EXCLUDED.contact_number IS NOT NULL)
    OR (erp_student.contact_email IS NULL AND EXCLUDED.contact_email IS NOT NULL)
    OR (erp_student.notes IS NULL AND EXCLUDED.notes IS NOT NULL)
