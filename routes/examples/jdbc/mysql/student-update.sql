-- Which record is the student's newest (occurred_at, then event_id on the same second), whatever its kind. The
-- details themselves are per value, the newest record's that carries each (student.sql).
UPDATE erp_student SET
    occurred_at = :#occurred_at,
    event_id = :#event_id
 WHERE jodo_student_id = :#jodo_student_id
   AND (occurred_at, event_id) < (:#occurred_at, :#event_id)
