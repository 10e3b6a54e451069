-- Sealed proposals in two envelopes. A proposal belongs to its lead vendor organisation; every submitted
-- version is kept (proposal_versions, the highest submitted number counts) with the SHA-256 fingerprint given
-- to the vendor as a receipt. The technical envelope is the version's JSON content; the price envelope lives
-- in its own table and is read only once an officer has opened the challenge's price envelopes
-- (price_envelope_openings). Consortium partners are registered vendor organisations. Times are UTC.
CREATE TABLE proposals (
    id                  INTEGER PRIMARY KEY,
    challenge_id        INTEGER NOT NULL REFERENCES challenges (id),
    vendor_id           INTEGER NOT NULL REFERENCES organisations (id),
    created_by          INTEGER NOT NULL REFERENCES users (id),
    status              TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'withdrawn')),
    current_version     INTEGER NOT NULL DEFAULT 0,
    first_submitted_at  TEXT NULL,
    last_submitted_at   TEXT NULL,
    withdrawn_at        TEXT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
-- At most one live (draft or submitted) proposal per lead vendor and challenge.
CREATE UNIQUE INDEX ux_proposals_live ON proposals (challenge_id, vendor_id) WHERE status <> 'withdrawn';
CREATE INDEX ix_proposals_vendor ON proposals (vendor_id);

-- One row per version; while a proposal is a draft its single unsubmitted row is rewritten in place.
CREATE TABLE proposal_versions (
    id                 INTEGER PRIMARY KEY,
    proposal_id        INTEGER NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    version_number     INTEGER NOT NULL,
    technical_content  TEXT NOT NULL,
    current_trl        INTEGER NULL,
    delivery_trl       INTEGER NULL,
    created_by         INTEGER NOT NULL REFERENCES users (id),
    created_at         TEXT NOT NULL,
    submitted_at       TEXT NULL,
    fingerprint        TEXT NULL,
    UNIQUE (proposal_id, version_number)
);

CREATE TABLE proposal_price_envelopes (
    proposal_version_id  INTEGER PRIMARY KEY REFERENCES proposal_versions (id) ON DELETE CASCADE,
    amount               NUMERIC NULL,
    currency             TEXT NOT NULL DEFAULT 'CNY',
    payment_terms        TEXT NULL
);

-- The consortium of the proposal's latest saved content, for queries (conflicts of interest in review).
CREATE TABLE proposal_consortium_members (
    proposal_id      INTEGER NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    position         INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, organisation_id)
);
CREATE INDEX ix_proposal_consortium_organisation ON proposal_consortium_members (organisation_id);

CREATE TABLE price_envelope_openings (
    challenge_id  INTEGER PRIMARY KEY REFERENCES challenges (id),
    opened_at     TEXT NOT NULL,
    opened_by     INTEGER NOT NULL REFERENCES users (id)
);
