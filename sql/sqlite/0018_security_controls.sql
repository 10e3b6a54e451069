-- Two security controls of issue #12 share this number (the only one free to this change).
-- 1. A sealed version's fingerprint is salted: a random secret per version, given to the author only, so nobody else
--    can confirm a guessed price by rebuilding the hash from what they can read. NULL: a version sealed before this
--    migration (unsalted fingerprint, never shown to anyone but the author before the price envelopes open).
ALTER TABLE proposal_versions ADD COLUMN seal_salt TEXT NULL;

-- 2. ASP.NET Core data-protection keys (auth cookies, antiforgery tokens, bearer tokens), shared by every instance
--    on this database. friendly_name is the key's id as the key ring names it; xml is the key element as written.
CREATE TABLE data_protection_keys (
    id             INTEGER PRIMARY KEY,
    friendly_name  TEXT NOT NULL UNIQUE,
    xml            TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
