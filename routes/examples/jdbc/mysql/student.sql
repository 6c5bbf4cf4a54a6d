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
ON DUPLICATE KEY UPDATE
    identifier = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(identifier), identifier) ELSE identifier END,
    custom_identifier = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(custom_identifier), custom_identifier) ELSE custom_identifier END,
    collector_code = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(collector_code), collector_code) ELSE collector_code END,
    fullname = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(fullname), fullname) ELSE fullname END,
    grade_code = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(grade_code), grade_code) ELSE grade_code END,
    grade_name = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(grade_name), grade_name) ELSE grade_name END,
    academic_year_start = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(academic_year_start), academic_year_start) ELSE academic_year_start END,
    academic_year_end = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(academic_year_end), academic_year_end) ELSE academic_year_end END,
    contact_number = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(contact_number), contact_number) ELSE contact_number END,
    contact_email = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(contact_email), contact_email) ELSE contact_email END,
    notes = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN COALESCE(VALUES(notes), notes) ELSE notes END,
    status = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN VALUES(status) ELSE status END,
    event_id = CASE WHEN occurred_at < VALUES(occurred_at) OR (occurred_at = VALUES(occurred_at) AND event_id <= VALUES(event_id)) THEN VALUES(event_id) ELSE event_id END,
    -- last: the comparisons above see the row's old occurred_at (event_id, set just above, is not compared after it)
    occurred_at = GREATEST(occurred_at, VALUES(occurred_at))
