-- A record supersedes a subscription's row when (status_rank, occurred_at, event_id) is greater: set up 1 <
-- active/locked 2 < cancelled/closed 3 (final), then the newer record, then the larger event_id. A record
-- without a status counts as rank 0: it supersedes only a row that has no status either.
UPDATE erp_subscription SET
    jodo_student_id = COALESCE(:#jodo_student_id, jodo_student_id),
    student_identifier = COALESCE(:#student_identifier, student_identifier),
    student_custom_identifier = COALESCE(:#student_custom_identifier, student_custom_identifier),
    student_name = COALESCE(:#student_fullname, student_name),
    collector_code = COALESCE(:#student_collector_code, collector_code),
    grade_code = COALESCE(:#student_grade_code, grade_code),
    grade_name = COALESCE(:#student_grade_name, grade_name),
    academic_year_start = COALESCE(:#student_academic_year_start, academic_year_start),
    academic_year_end = COALESCE(:#student_academic_year_end, academic_year_end),
    status = COALESCE(:#subscription_status, status),
    status_rank = COALESCE(CAST(:#subscription_precedence AS INT), 0),
    occurred_at = :#occurred_at,
    event_id = :#event_id
 WHERE id = :#subscription_id
   AND (status_rank, occurred_at, event_id) < (COALESCE(CAST(:#subscription_precedence AS INT), 0), :#occurred_at, :#event_id)
