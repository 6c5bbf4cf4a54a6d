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
-- without any) end as the newest says in every delivery order. MariaDB and MySQL apply the assignments below one
-- after the other, so each value comes before its _from: its condition reads the _from the row had.
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
        CASE WHEN :#kind = 'student' AND :#action = 'dropped' THEN 'DROPPED' ELSE 'ACTIVE' END,
        CASE WHEN :#kind = 'student' THEN CASE WHEN :#action = 'dropped' THEN 2 ELSE 1 END END,
        CASE WHEN :#kind = 'student' THEN :#occurred_at END,
        CASE WHEN :#kind = 'student' THEN :#event_id END,
        :#occurred_at,
        :#event_id,
        CASE WHEN :#student_identifier IS NOT NULL THEN :#record_key END,
        CASE WHEN :#student_custom_identifier IS NOT NULL THEN :#record_key END,
        CASE WHEN :#student_collector_code IS NOT NULL THEN :#record_key END,
        CASE WHEN :#student_fullname IS NOT NULL THEN :#record_key END,
        CASE WHEN :#student_grade_code IS NOT NULL OR :#student_grade_name IS NOT NULL THEN :#record_key END,
        CASE WHEN :#student_academic_year_start IS NOT NULL OR :#student_academic_year_end IS NOT NULL THEN :#record_key END,
        CASE WHEN :#student_contact_number IS NOT NULL THEN :#record_key END,
        CASE WHEN :#student_contact_email IS NOT NULL THEN :#record_key END,
        CASE WHEN :#student_notes IS NOT NULL THEN :#record_key END)
ON DUPLICATE KEY UPDATE
    identifier = CASE WHEN VALUES(identifier_from) > COALESCE(identifier_from, '') THEN VALUES(identifier) ELSE identifier END,
    identifier_from = CASE WHEN VALUES(identifier_from) > COALESCE(identifier_from, '') THEN VALUES(identifier_from) ELSE identifier_from END,
    custom_identifier = CASE WHEN VALUES(custom_identifier_from) > COALESCE(custom_identifier_from, '') THEN VALUES(custom_identifier) ELSE custom_identifier END,
    custom_identifier_from = CASE WHEN VALUES(custom_identifier_from) > COALESCE(custom_identifier_from, '') THEN VALUES(custom_identifier_from) ELSE custom_identifier_from END,
    collector_code = CASE WHEN VALUES(collector_code_from) > COALESCE(collector_code_from, '') THEN VALUES(collector_code) ELSE collector_code END,
    collector_code_from = CASE WHEN VALUES(collector_code_from) > COALESCE(collector_code_from, '') THEN VALUES(collector_code_from) ELSE collector_code_from END,
    fullname = CASE WHEN VALUES(fullname_from) > COALESCE(fullname_from, '') THEN VALUES(fullname) ELSE fullname END,
    fullname_from = CASE WHEN VALUES(fullname_from) > COALESCE(fullname_from, '') THEN VALUES(fullname_from) ELSE fullname_from END,
    grade_code = CASE WHEN VALUES(grade_from) > COALESCE(grade_from, '') THEN VALUES(grade_code) ELSE grade_code END,
    grade_name = CASE WHEN VALUES(grade_from) > COALESCE(grade_from, '') THEN VALUES(grade_name) ELSE grade_name END,
    grade_from = CASE WHEN VALUES(grade_from) > COALESCE(grade_from, '') THEN VALUES(grade_from) ELSE grade_from END,
    academic_year_start = CASE WHEN VALUES(academic_year_from) > COALESCE(academic_year_from, '') THEN VALUES(academic_year_start) ELSE academic_year_start END,
    academic_year_end = CASE WHEN VALUES(academic_year_from) > COALESCE(academic_year_from, '') THEN VALUES(academic_year_end) ELSE academic_year_end END,
    academic_year_from = CASE WHEN VALUES(academic_year_from) > COALESCE(academic_year_from, '') THEN VALUES(academic_year_from) ELSE academic_year_from END,
    contact_number = CASE WHEN VALUES(contact_number_from) > COALESCE(contact_number_from, '') THEN VALUES(contact_number) ELSE contact_number END,
    contact_number_from = CASE WHEN VALUES(contact_number_from) > COALESCE(contact_number_from, '') THEN VALUES(contact_number_from) ELSE contact_number_from END,
    contact_email = CASE WHEN VALUES(contact_email_from) > COALESCE(contact_email_from, '') THEN VALUES(contact_email) ELSE contact_email END,
    contact_email_from = CASE WHEN VALUES(contact_email_from) > COALESCE(contact_email_from, '') THEN VALUES(contact_email_from) ELSE contact_email_from END,
    notes = CASE WHEN VALUES(notes_from) > COALESCE(notes_from, '') THEN VALUES(notes) ELSE notes END,
    notes_from = CASE WHEN VALUES(notes_from) > COALESCE(notes_from, '') THEN VALUES(notes_from) ELSE notes_from END
