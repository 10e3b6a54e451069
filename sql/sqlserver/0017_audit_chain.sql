-- The audit log becomes a hash chain (docs/security.md, "Audit trail"): every entry carries its place in the chain
-- (chain_seq), the hash of the entry before it (prev_hash) and its own hash (entry_hash) over a canonical
-- serialisation computed by the application (Marketplace.Data.Audit.AuditChain). audit_chain_head holds the last
-- sequence and hash; appending locks that row, so two transactions never chain onto the same entry. Entries written
-- before this migration get their chain at start-up, in id order (MigrationRunner seals them after migrating).
-- challenge_id becomes nullable for entries about no single challenge (negative-list edits); the index on it must go
-- first, SQL Server does not alter an indexed column. The unique index on chain_seq is filtered: SQL Server's unique
-- indexes otherwise allow one NULL only. (Not run on this machine: no SQL Server here.)
DROP INDEX ix_challenge_audit_challenge ON challenge_audit;
ALTER TABLE challenge_audit ALTER COLUMN challenge_id BIGINT NULL;
CREATE INDEX ix_challenge_audit_challenge ON challenge_audit (challenge_id, id);
ALTER TABLE challenge_audit ADD chain_seq BIGINT NULL, prev_hash NVARCHAR(64) NULL, entry_hash NVARCHAR(64) NULL;
GO
CREATE UNIQUE INDEX ux_challenge_audit_chain_seq ON challenge_audit (chain_seq) WHERE chain_seq IS NOT NULL;

CREATE TABLE audit_chain_head (
    id         INT PRIMARY KEY CHECK (id = 1),
    last_seq   BIGINT NOT NULL,
    last_hash  NVARCHAR(64) NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
GO
-- Append-only in the database too: a chained entry is never updated, no entry is deleted. (Someone with the rights
-- to disable this trigger can still edit rows; the chain is what detects that.)
CREATE TRIGGER challenge_audit_append_only ON challenge_audit AFTER UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted d WHERE d.chain_seq IS NOT NULL OR NOT EXISTS (SELECT 1 FROM inserted))
        THROW 51000, 'challenge_audit is append-only', 1;
END
