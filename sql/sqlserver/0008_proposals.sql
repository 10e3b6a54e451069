-- Sealed proposals in two envelopes. A proposal belongs to its lead vendor organisation; every submitted
-- version is kept (proposal_versions, the highest submitted number counts) with the SHA-256 fingerprint given
-- to the vendor as a receipt. The technical envelope is the version's JSON content; the price envelope lives
-- in its own table and is read only once an officer has opened the challenge's price envelopes
-- (price_envelope_openings). Consortium partners are registered vendor organisations. Times are UTC.
CREATE TABLE proposals (
    id                  BIGINT IDENTITY(1, 1) PRIMARY KEY,
    challenge_id        BIGINT NOT NULL REFERENCES challenges (id),
    vendor_id           BIGINT NOT NULL REFERENCES organisations (id),
    created_by          BIGINT NOT NULL REFERENCES users (id),
    status              NVARCHAR(16) NOT NULL CHECK (status IN ('draft', 'submitted', 'withdrawn')),
    current_version     INT NOT NULL DEFAULT 0,
    first_submitted_at  DATETIMEOFFSET NULL,
    last_submitted_at   DATETIMEOFFSET NULL,
    withdrawn_at        DATETIMEOFFSET NULL,
    created_at          DATETIMEOFFSET NOT NULL,
    updated_at          DATETIMEOFFSET NOT NULL
);
-- At most one live (draft or submitted) proposal per lead vendor and challenge.
CREATE UNIQUE INDEX ux_proposals_live ON proposals (challenge_id, vendor_id) WHERE status <> 'withdrawn';
CREATE INDEX ix_proposals_vendor ON proposals (vendor_id);

-- One row per version; while a proposal is a draft its single unsubmitted row is rewritten in place.
CREATE TABLE proposal_versions (
    id                 BIGINT IDENTITY(1, 1) PRIMARY KEY,
    proposal_id        BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    version_number     INT NOT NULL,
    technical_content  NVARCHAR(MAX) NOT NULL,
    current_trl        INT NULL,
    delivery_trl       INT NULL,
    created_by         BIGINT NOT NULL REFERENCES users (id),
    created_at         DATETIMEOFFSET NOT NULL,
    submitted_at       DATETIMEOFFSET NULL,
    fingerprint        NVARCHAR(64) NULL,
    CONSTRAINT ux_proposal_versions UNIQUE (proposal_id, version_number)
);

CREATE TABLE proposal_price_envelopes (
    proposal_version_id  BIGINT PRIMARY KEY REFERENCES proposal_versions (id) ON DELETE CASCADE,
    amount               DECIMAL(18, 2) NULL,
    currency             NCHAR(3) NOT NULL DEFAULT 'CNY',
    payment_terms        NVARCHAR(MAX) NULL
);

-- The consortium of the proposal's latest saved content, for queries (conflicts of interest in review).
-- No cascade from organisations: SQL Server refuses a second cascade path into this table.
CREATE TABLE proposal_consortium_members (
    proposal_id      BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    position         INT NOT NULL,
    PRIMARY KEY (proposal_id, organisation_id)
);
CREATE INDEX ix_proposal_consortium_organisation ON proposal_consortium_members (organisation_id);

CREATE TABLE price_envelope_openings (
    challenge_id  BIGINT PRIMARY KEY REFERENCES challenges (id),
    opened_at     DATETIMEOFFSET NOT NULL,
    opened_by     BIGINT NOT NULL REFERENCES users (id)
);
