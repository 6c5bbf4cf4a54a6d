-- Every record that names a Jodo student keeps its erp_student row (written first, before any money row, so
-- two records of one student always lock in the same order). This statement creates the row when it is
-- missing; student-update.sql and student-status.sql bring it up to date.
-- Status: a masterdata event sets it ("dropped": DROPPED, "registered"/"activated": ACTIVE); a student first seen
-- on a payment starts ACTIVE until a masterdata event says otherwise.
-- A record that does not supersede the row still fills the values it lacks, so every delivery order ends in
-- the same row.
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
        CASE WHEN :#kind = 'student' AND :#action = 'dropped' THEN 'DROPPED' ELSE 'ACTIVE' END,
        CASE WHEN :#kind = 'student' THEN CASE WHEN :#action = 'dropped' THEN 2 ELSE 1 END END,
        CASE WHEN :#kind = 'student' THEN :#occurred_at END,
        CASE WHEN :#kind = 'student' THEN :#event_id END,
        :#occurred_at,
        :#event_id)
ON DUPLICATE KEY UPDATE
    identifier = COALESCE(identifier, VALUES(identifier)),
    custom_identifier = COALESCE(custom_identifier, VALUES(custom_identifier)),
    collector_code = COALESCE(collector_code, VALUES(collector_code)),
    fullname = COALESCE(fullname, VALUES(fullname)),
    grade_code = COALESCE(grade_code, VALUES(grade_code)),
    grade_name = COALESCE(grade_name, VALUES(grade_name)),
    academic_year_start = COALESCE(academic_year_start, VALUES(academic_year_start)),
    academic_year_end = COALESCE(academic_year_end, VALUES(academic_year_end)),
    contact_number = COALESCE(contact_number, VALUES(contact_number)),
    contact_email = COALESCE(contact_email, VALUES(contact_email)),
    notes = COALESCE(notes, VALUES(notes))
