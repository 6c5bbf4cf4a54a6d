-- masterdata.student.* only: the student's status. A student can be dropped and activated again, so the newer
-- event wins (occurred_at); on the same second "dropped" outranks "registered"/"activated" (a student is not
-- billed on a tie), then the larger event_id. Any delivery order ends in the same status.
UPDATE erp_student SET
    status = CASE WHEN :#action = 'dropped' THEN 'DROPPED' ELSE 'ACTIVE' END,
    status_rank = CASE WHEN :#action = 'dropped' THEN 2 ELSE 1 END,
    status_occurred_at = :#occurred_at,
    status_event_id = :#event_id
 WHERE jodo_student_id = :#jodo_student_id
   AND (status_occurred_at IS NULL
        OR (status_occurred_at, status_rank, status_event_id) < (:#occurred_at, CASE WHEN :#action = 'dropped' THEN 2 ELSE 1 END, :#event_id))
