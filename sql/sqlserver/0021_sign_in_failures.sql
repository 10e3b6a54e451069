-- Failed sign-ins counted in the database instead of each instance's memory (docs/security.md, "Sign-in"), so every
-- instance on one database pauses the same (address, client) pairs, clients and addresses, and a restart forgets
-- nothing. counter_key is the SHA-256 (hex) of the counter's name ("pair|<ip>|<address>", "ip|<ip>", "account|<address>"):
-- typed addresses and client IPs are not kept in the clear. A count restarts when its last failure is older than the
-- pause; rows quiet for longer than the longest allowed pause (7 days) are deleted by the security-cleanup job.
-- (Not run on this machine: no SQL Server here.)
CREATE TABLE sign_in_failures (
    counter_key      NVARCHAR(64) NOT NULL PRIMARY KEY,
    failures         INT NOT NULL,
    last_failure_at  DATETIMEOFFSET NOT NULL
);
GO
CREATE INDEX ix_sign_in_failures_last_failure_at ON sign_in_failures (last_failure_at);
