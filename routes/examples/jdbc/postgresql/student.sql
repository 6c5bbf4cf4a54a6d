-- masterdata.student.*: one row per Jodo student; "dropped" deactivates, "activated" and "registered" activate.
INSERT INTO erp_student (jodo_student_id, identifier, custom_identifier, collector_code, fullname, grade_code, grade_name, academic_year_start, academic_year_end, contact_number, contact_email, notes, status, occurred_at, event_id)
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
        CASE WHEN :#action = 'dropped' THEN 'DROPPED' ELSE 'ACTIVE' END,
        :#occurred_at,
        :#event_id)
ON CONFLICT (jodo_student_id) DO UPDATE SET
    identifier = COALESCE(EXCLUDED.identifier, erp_student.identifier),
    custom_identifier = COALESCE(EXCLUDED.custom_identifier, erp_student.custom_identifier),
    collector_code = COALESCE(EXCLUDED.collector_code, erp_student.collector_code),
    fullname = COALESCE(EXCLUDED.fullname, erp_student.fullname),
    grade_code = COALESCE(EXCLUDED.grade_code, erp_student.grade_code),
    grade_name = COALESCE(EXCLUDED.grade_name, erp_student.grade_name),
    academic_year_start = COALESCE(EXCLUDED.academic_year_start, erp_student.academic_year_start),
    academic_year_end = COALESCE(EXCLUDED.academic_year_end, erp_student.academic_year_end),
    contact_number = COALESCE(EXCLUDED.contact_number, erp_student.contact_number),
    contact_email = COALESCE(EXCLUDED.contact_email, erp_student.contact_email),
    notes = COALESCE(EXCLUDED.notes, erp_student.notes),
    status = EXCLUDED.status,
    event_id = EXCLUDED.event_id,
    occurred_at = EXCLUDED.occurred_at
-- only a record at least as new as the row replaces it (same second: the larger event_id, so any
-- delivery order ends in the same state)
WHERE (erp_student.occurred_at, erp_student.event_id) <= (EXCLUDED.occurred_at, EXCLUDED.event_id)
