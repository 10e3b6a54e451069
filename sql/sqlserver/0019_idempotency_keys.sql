-- Idempotency-Key on the API's create calls (docs/security.md, "Hostile-input suite"): one row per (account, key).
-- A request claims its key by inserting the row (status_code NULL while it runs); when it finishes, the row keeps the
-- status, Location and body of the answer, and a repeat with the same key and the same request gets that answer again
-- instead of creating twice. request_hash (SHA-256 of method, path, content type and body) tells a repeat from a
-- different request reusing the key. Keys are at most 200 characters (the API refuses longer ones).
-- (Not run on this machine: no SQL Server here.)
CREATE TABLE idempotency_keys (
    account_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idempotency_key  NVARCHAR(200) NOT NULL,
    request_hash     NVARCHAR(64) NOT NULL,
    status_code      INT NULL,
    content_type     NVARCHAR(200) NULL,
    location         NVARCHAR(400) NULL,
    response_body    NVARCHAR(MAX) NULL,
    created_at       DATETIMEOFFSET NOT NULL,
    completed_at     DATETIMEOFFSET NULL,
    PRIMARY KEY (account_id, idempotency_key)
);
