-- Delivery of an awarded challenge: one project per winning proposal, its milestones (copied from the winning
-- version's technical envelope, with the payment share and amount), every evidence submission and every decision on
-- it, the payment releases that acceptance records (recorded, not paid), stage adjustments approved or declined by
-- the programme office (old values kept), failure filings (失败备案, without penalty), and the enterprise's consent to
-- publish a completed project as a portfolio case of the vendor. Portfolio cases gain tags. Times are UTC; due
-- dates are calendar dates.
CREATE TABLE delivery_projects (
    id                INTEGER PRIMARY KEY,
    challenge_id      INTEGER NOT NULL REFERENCES challenges (id),
    proposal_id       INTEGER NOT NULL REFERENCES proposals (id),
    proposal_version  INTEGER NOT NULL,
    vendor_id         INTEGER NOT NULL REFERENCES organisations (id),
    enterprise_id     INTEGER NOT NULL REFERENCES organisations (id),
    status            TEXT NOT NULL CHECK (status IN ('active', 'completed', 'failed')),
    price_amount      NUMERIC NULL,
    currency          TEXT NOT NULL DEFAULT 'CNY',
    started_by        INTEGER NOT NULL REFERENCES users (id),
    started_at        TEXT NOT NULL,
    ended_at          TEXT NULL,
    UNIQUE (challenge_id, proposal_id)
);
CREATE INDEX ix_delivery_projects_vendor ON delivery_projects (vendor_id);
CREATE INDEX ix_delivery_projects_enterprise ON delivery_projects (enterprise_id);

CREATE TABLE delivery_milestones (
    id              INTEGER PRIMARY KEY,
    project_id      INTEGER NOT NULL REFERENCES delivery_projects (id),
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    deliverable     TEXT NOT NULL,
    payment_share   NUMERIC NOT NULL,
    payment_amount  NUMERIC NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'evidence_submitted', 'accepted', 'rejected')),
    updated_at      TEXT NOT NULL,
    UNIQUE (project_id, position)
);

-- Every submission is kept; a decision names the submission it judged.
CREATE TABLE milestone_evidence (
    id            INTEGER PRIMARY KEY,
    milestone_id  INTEGER NOT NULL REFERENCES delivery_milestones (id),
    body          TEXT NOT NULL,
    links         TEXT NOT NULL,
    submitted_by  INTEGER NOT NULL REFERENCES users (id),
    submitted_at  TEXT NOT NULL
);
CREATE INDEX ix_milestone_evidence_milestone ON milestone_evidence (milestone_id, id);

CREATE TABLE milestone_decisions (
    id            INTEGER PRIMARY KEY,
    milestone_id  INTEGER NOT NULL REFERENCES delivery_milestones (id),
    evidence_id   INTEGER NOT NULL REFERENCES milestone_evidence (id),
    outcome       TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
    note          TEXT NULL,
    targets_met   TEXT NOT NULL,
    decided_by    INTEGER NOT NULL REFERENCES users (id),
    decided_at    TEXT NOT NULL,
    UNIQUE (evidence_id)
);
CREATE INDEX ix_milestone_decisions_milestone ON milestone_decisions (milestone_id, id);

-- The release of a milestone's payment share, recorded when the enterprise accepts it (the money moves elsewhere).
CREATE TABLE milestone_payments (
    milestone_id  INTEGER PRIMARY KEY REFERENCES delivery_milestones (id),
    share         NUMERIC NOT NULL,
    amount        NUMERIC NULL,
    currency      TEXT NOT NULL,
    released_by   INTEGER NOT NULL REFERENCES users (id),
    released_at   TEXT NOT NULL
);

CREATE TABLE stage_adjustments (
    id              INTEGER PRIMARY KEY,
    project_id      INTEGER NOT NULL REFERENCES delivery_projects (id),
    status          TEXT NOT NULL CHECK (status IN ('open', 'approved', 'declined')),
    reason          TEXT NOT NULL,
    requested_by    INTEGER NOT NULL REFERENCES users (id),
    requested_side  TEXT NOT NULL CHECK (requested_side IN ('vendor', 'enterprise')),
    requested_at    TEXT NOT NULL,
    decided_by      INTEGER NULL REFERENCES users (id),
    decision_note   TEXT NULL,
    decided_at      TEXT NULL
);
-- At most one open request per project.
CREATE UNIQUE INDEX ux_stage_adjustments_open ON stage_adjustments (project_id) WHERE status = 'open';

-- What the request changes on each milestone; the old values stay here after the change applies.
CREATE TABLE stage_adjustment_items (
    adjustment_id    INTEGER NOT NULL REFERENCES stage_adjustments (id),
    milestone_id     INTEGER NOT NULL REFERENCES delivery_milestones (id),
    old_due_on       TEXT NOT NULL,
    new_due_on       TEXT NULL,
    old_deliverable  TEXT NOT NULL,
    new_deliverable  TEXT NULL,
    PRIMARY KEY (adjustment_id, milestone_id)
);

CREATE TABLE failure_filings (
    project_id  INTEGER PRIMARY KEY REFERENCES delivery_projects (id),
    category    TEXT NOT NULL CHECK (category IN ('technical', 'data', 'integration', 'organisational', 'commercial', 'external')),
    cause       TEXT NOT NULL,
    lessons     TEXT NOT NULL,
    filed_by    INTEGER NOT NULL REFERENCES users (id),
    filed_at    TEXT NOT NULL
);

CREATE TABLE portfolio_consents (
    project_id         INTEGER PRIMARY KEY REFERENCES delivery_projects (id),
    decision           TEXT NOT NULL CHECK (decision IN ('granted', 'declined')),
    client_named       INTEGER NOT NULL DEFAULT 0,
    portfolio_case_id  INTEGER NULL REFERENCES portfolio_cases (id),
    decided_by         INTEGER NOT NULL REFERENCES users (id),
    decided_at         TEXT NOT NULL
);

CREATE TABLE portfolio_case_tags (
    case_id  INTEGER NOT NULL REFERENCES portfolio_cases (id),
    tag      TEXT NOT NULL,
    PRIMARY KEY (case_id, tag)
);
