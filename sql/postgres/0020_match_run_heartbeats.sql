-- A matcher run writes a heartbeat as it goes (with its progress). A run whose process was killed never records its
-- end; the next run to start marks every run still 'running' whose heartbeat is older than 15 minutes as 'failed'
-- ("interrupted"), so the dashboard does not show a dead run as running for ever. Runs from before this migration
-- get their last known time as heartbeat.
ALTER TABLE match_runs ADD COLUMN heartbeat_at TIMESTAMPTZ NULL;
UPDATE match_runs SET heartbeat_at = COALESCE(finished_at, started_at);
