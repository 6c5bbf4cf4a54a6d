-- The student's details from the newest record that carries them (occurred_at, then event_id on the same
-- second), whatever its kind: an older record never overwrites newer details. Absent values keep what is there.
UPDATE erp_student SET
    identifier = COALESCE(:#student_identifier, identifier),
    custom_identifier = COALESCE(:#student_custom_identifier, custom_identifier),
    collector_code = COALESCE(:#student_collector_code, collector_code),
    fullname = COALESCE(:#student_fullname, fullname),
    grade_code = COALESCE(:#student_grade_code, grade_code),
    grade_name = COALESCE(:#student_grade_name, grade_name),
    academic_year_start = COALESCE(:#student_academic_year_start, academic_year_start),
    academic_year_end = COALESCE(:#student_academic_year_end, academic_year_end),
    contact_number = COALESCE(:#student_contact_number, contact_number),
    contact_email = COALESCE(:#student_contact_email, contact_email),
    notes = COALESCE(:#student_notes, notes),
    occurred_at = :#occurred_at,
    event_id = :#event_id
 WHERE jodo_student_id = :#jodo_student_id
   AND (occurred_at, event_id) < (:#occurred_at, :#event_id)
