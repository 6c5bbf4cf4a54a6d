-- A bulk replay job belongs to the instance that holds its claim, renewed while it runs. A job whose claim has run
-- out (its instance died) is taken by another instance, or by the next start on the embedded store, and resumed.
ALTER TABLE replay_job ADD COLUMN claim_token VARCHAR(36);
ALTER TABLE replay_job ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX replay_job_state ON replay_job (state);
