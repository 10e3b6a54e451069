-- The audit log becomes a hash chain (docs/security.md, "Audit trail"): every entry carries its place in the chain
-- (chain_seq), the hash of the entry before it (prev_hash) and its own hash (entry_hash) over a canonical
-- serialisation computed by the application (Marketplace.Data.Audit.AuditChain). audit_chain_head holds the last
-- sequence and hash; appending locks that row, so two transactions never chain onto the same entry. Entries written
-- before this migration get their chain at start-up, in id order (MigrationRunner seals them after migrating).
-- challenge_id becomes nullable for entries about no single challenge (negative-list edits).
ALTER TABLE challenge_audit ALTER COLUMN challenge_id DROP NOT NULL;
ALTER TABLE challenge_audit ADD COLUMN chain_seq BIGINT NULL;
ALTER TABLE challenge_audit ADD COLUMN prev_hash TEXT NULL;
ALTER TABLE challenge_audit ADD COLUMN entry_hash TEXT NULL;
CREATE UNIQUE INDEX ux_challenge_audit_chain_seq ON challenge_audit (chain_seq);

CREATE TABLE audit_chain_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq   BIGINT NOT NULL,
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only in the database too: a chained entry is never updated, no entry is deleted. (Someone with the rights
-- to disable this trigger can still edit rows; the chain is what detects that.)
CREATE FUNCTION challenge_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.chain_seq IS NULL THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'challenge_audit is append-only';
END
$$;
CREATE TRIGGER challenge_audit_append_only BEFORE UPDATE OR DELETE ON challenge_audit
    FOR EACH ROW EXECUTE FUNCTION challenge_audit_append_only();
