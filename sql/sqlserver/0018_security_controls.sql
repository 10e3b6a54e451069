-- Two security controls of issue #12 share this number (the only one free to this change).
-- 1. A sealed version's fingerprint is salted: a random secret per version, given to the author only, so nobody else
--    can confirm a guessed price by rebuilding the hash from what they can read. NULL: a version sealed before this
--    migration (unsalted fingerprint, never shown to anyone but the author before the price envelopes open).
-- (Not run on this machine: no SQL Server here; the SQL Server tests run it when MARKETPLACE_TEST_SQLSERVER is set.)
ALTER TABLE proposal_versions ADD seal_salt NVARCHAR(64) NULL;

-- 2. ASP.NET Core data-protection keys (auth cookies, antiforgery tokens, bearer tokens), shared by every instance
--    on this database. friendly_name is the key's id as the key ring names it; xml is the key element as written.
CREATE TABLE data_protection_keys (
    id             BIGINT IDENTITY(1, 1) PRIMARY KEY,
    friendly_name  NVARCHAR(200) NOT NULL UNIQUE,
    xml            NVARCHAR(MAX) NOT NULL,
    created_at     DATETIMEOFFSET NOT NULL
);
