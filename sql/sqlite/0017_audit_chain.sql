-- The audit log becomes a hash chain (docs/security.md, "Audit trail"): every entry carries its place in the chain
-- (chain_seq), the hash of the entry before it (prev_hash) and its own hash (entry_hash) over a canonical
-- serialisation computed by the application (Marketplace.Data.Audit.AuditChain). audit_chain_head holds the last
-- sequence and hash; appending locks that row, so two transactions never chain onto the same entry. Entries written
-- before this migration get their chain at start-up, in id order (MigrationRunner seals them after migrating).
-- challenge_id becomes nullable for entries about no single challenge (negative-list edits). SQLite cannot drop
-- NOT NULL in place, so the table is rebuilt with the same ids; nothing references it.
CREATE TABLE challenge_audit_chained (
    id             INTEGER PRIMARY KEY,
    challenge_id   INTEGER NULL REFERENCES challenges (id) ON DELETE CASCADE,
    actor_user_id  INTEGER NULL REFERENCES users (id),
    action         TEXT NOT NULL,
    from_status    TEXT NULL,
    to_status      TEXT NULL,
    reason         TEXT NULL,
    occurred_at    TEXT NOT NULL,
    chain_seq      INTEGER NULL,
    prev_hash      TEXT NULL,
    entry_hash     TEXT NULL
);
INSERT INTO challenge_audit_chained (id, challenge_id, actor_user_id, action, from_status, to_status, reason, occurred_at)
SELECT id, challenge_id, actor_user_id, action, from_status, to_status, reason, occurred_at FROM challenge_audit;
DROP TABLE challenge_audit;
ALTER TABLE challenge_audit_chained RENAME TO challenge_audit;
CREATE INDEX ix_challenge_audit_challenge ON challenge_audit (challenge_id, id);
CREATE UNIQUE INDEX ux_challenge_audit_chain_seq ON challenge_audit (chain_seq);

CREATE TABLE audit_chain_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq   INTEGER NOT NULL,
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only in the database too: a chained entry is never updated, no entry is deleted. (Someone with the rights
-- to drop these triggers can still edit rows; the chain is what detects that.)
CREATE TRIGGER challenge_audit_no_update BEFORE UPDATE ON challenge_audit WHEN OLD.chain_seq IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'challenge_audit is append-only');
END;
CREATE TRIGGER challenge_audit_no_delete BEFORE DELETE ON challenge_audit
BEGIN
    SELECT RAISE(ABORT, 'challenge_audit is append-only');
END;
