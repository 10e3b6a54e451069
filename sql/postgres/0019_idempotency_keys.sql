-- Idempotency-Key on the API's create calls (docs/security.md, "Hostile-input suite"): one row per (account, key).
-- A request claims its key by inserting the row (status_code NULL while it runs); when it finishes, the row keeps the
-- status, Location and body of the answer, and a repeat with the same key and the same request gets that answer again
-- instead of creating twice. request_hash (SHA-256 of method, path, content type and body) tells a repeat from a
-- different request reusing the key.
CREATE TABLE idempotency_keys (
    account_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idempotency_key  TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    status_code      INTEGER NULL,
    content_type     TEXT NULL,
    location         TEXT NULL,
    response_body    TEXT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    completed_at     TIMESTAMPTZ NULL,
    PRIMARY KEY (account_id, idempotency_key)
);
