-- Each target's deliveries are taken by a route of their own (DeliveryLanes): its due rows, in order, off this index.
CREATE INDEX delivery_target_due ON delivery (target, state, next_attempt_at);
-- Its first two columns serve the counts by target and state that this one did.
DROP INDEX delivery_target_state;
