-- Every record that names a Jodo student keeps its erp_student row (written first, before any money row, so
-- two records of one student always lock in the same order). This statement only creates the row when it is
-- missing; student-update.sql and student-status.sql bring it up to date.
-- Status: a masterdata event sets it ("dropped": DROPPED, "registered"/"activated": ACTIVE); a student first seen
-- on a payment starts ACTIVE until a masterdata event says otherwise.
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
ON CONFLICT (jodo_student_id) DO NOTHING
