-- Delivery of an awarded challenge: one project per winning proposal, its milestones (copied from the winning
-- version's technical envelope, with the payment share and amount), every evidence submission and every decision on
-- it, the payment releases that acceptance records (recorded, not paid), stage adjustments approved or declined by
-- the programme office (old values kept), failure filings (失败备案, without penalty), and the enterprise's consent to
-- publish a completed project as a portfolio case of the vendor. Portfolio cases gain tags. Times are UTC; due
-- dates are calendar dates.
CREATE TABLE delivery_projects (
    id                BIGINT IDENTITY(1, 1) PRIMARY KEY,
    challenge_id      BIGINT NOT NULL REFERENCES challenges (id),
    proposal_id       BIGINT NOT NULL REFERENCES proposals (id),
    proposal_version  INT NOT NULL,
    vendor_id         BIGINT NOT NULL REFERENCES organisations (id),
    enterprise_id     BIGINT NOT NULL REFERENCES organisations (id),
    status            NVARCHAR(16) NOT NULL CHECK (status IN ('active', 'completed', 'failed')),
    price_amount      DECIMAL(18, 2) NULL,
    currency          NVARCHAR(8) NOT NULL DEFAULT 'CNY',
    started_by        BIGINT NOT NULL REFERENCES users (id),
    started_at        DATETIMEOFFSET NOT NULL,
    ended_at          DATETIMEOFFSET NULL,
    CONSTRAINT ux_delivery_projects_proposal UNIQUE (challenge_id, proposal_id)
);
CREATE INDEX ix_delivery_projects_vendor ON delivery_projects (vendor_id);
CREATE INDEX ix_delivery_projects_enterprise ON delivery_projects (enterprise_id);

CREATE TABLE delivery_milestones (
    id              BIGINT IDENTITY(1, 1) PRIMARY KEY,
    project_id      BIGINT NOT NULL REFERENCES delivery_projects (id),
    position        INT NOT NULL,
    name            NVARCHAR(200) NOT NULL,
    due_on          DATE NOT NULL,
    deliverable     NVARCHAR(2000) NOT NULL,
    payment_share   DECIMAL(5, 2) NOT NULL,
    payment_amount  DECIMAL(18, 2) NULL,
    status          NVARCHAR(24) NOT NULL CHECK (status IN ('pending', 'evidence_submitted', 'accepted', 'rejected')),
    updated_at      DATETIMEOFFSET NOT NULL,
    CONSTRAINT ux_delivery_milestones_position UNIQUE (project_id, position)
);

-- Every submission is kept; a decision names the submission it judged.
CREATE TABLE milestone_evidence (
    id            BIGINT IDENTITY(1, 1) PRIMARY KEY,
    milestone_id  BIGINT NOT NULL REFERENCES delivery_milestones (id),
    body          NVARCHAR(MAX) NOT NULL,
    links         NVARCHAR(MAX) NOT NULL,
    submitted_by  BIGINT NOT NULL REFERENCES users (id),
    submitted_at  DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_milestone_evidence_milestone ON milestone_evidence (milestone_id, id);

CREATE TABLE milestone_decisions (
    id            BIGINT IDENTITY(1, 1) PRIMARY KEY,
    milestone_id  BIGINT NOT NULL REFERENCES delivery_milestones (id),
    evidence_id   BIGINT NOT NULL REFERENCES milestone_evidence (id),
    outcome       NVARCHAR(16) NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
    note          NVARCHAR(2000) NULL,
    targets_met   NVARCHAR(MAX) NOT NULL,
    decided_by    BIGINT NOT NULL REFERENCES users (id),
    decided_at    DATETIMEOFFSET NOT NULL,
    CONSTRAINT ux_milestone_decisions_evidence UNIQUE (evidence_id)
);
CREATE INDEX ix_milestone_decisions_milestone ON milestone_decisions (milestone_id, id);

-- The release of a milestone's payment share, recorded when the enterprise accepts it (the money moves elsewhere).
CREATE TABLE milestone_payments (
    milestone_id  BIGINT PRIMARY KEY REFERENCES delivery_milestones (id),
    share         DECIMAL(5, 2) NOT NULL,
    amount        DECIMAL(18, 2) NULL,
    currency      NVARCHAR(8) NOT NULL,
    released_by   BIGINT NOT NULL REFERENCES users (id),
    released_at   DATETIMEOFFSET NOT NULL
);

CREATE TABLE stage_adjustments (
    id              BIGINT IDENTITY(1, 1) PRIMARY KEY,
    project_id      BIGINT NOT NULL REFERENCES delivery_projects (id),
    status          NVARCHAR(16) NOT NULL CHECK (status IN ('open', 'approved', 'declined')),
    reason          NVARCHAR(2000) NOT NULL,
    requested_by    BIGINT NOT NULL REFERENCES users (id),
    requested_side  NVARCHAR(16) NOT NULL CHECK (requested_side IN ('vendor', 'enterprise')),
    requested_at    DATETIMEOFFSET NOT NULL,
    decided_by      BIGINT NULL REFERENCES users (id),
    decision_note   NVARCHAR(2000) NULL,
    decided_at      DATETIMEOFFSET NULL
);
-- At most one open request per project.
CREATE UNIQUE INDEX ux_stage_adjustments_open ON stage_adjustments (project_id) WHERE status = 'open';

-- What the request changes on each milestone; the old values stay here after the change applies.
CREATE TABLE stage_adjustment_items (
    adjustment_id    BIGINT NOT NULL REFERENCES stage_adjustments (id),
    milestone_id     BIGINT NOT NULL REFERENCES delivery_milestones (id),
    old_due_on       DATE NOT NULL,
    new_due_on       DATE NULL,
    old_deliverable  NVARCHAR(2000) NOT NULL,
    new_deliverable  NVARCHAR(2000) NULL,
    PRIMARY KEY (adjustment_id, milestone_id)
);

CREATE TABLE failure_filings (
    project_id  BIGINT PRIMARY KEY REFERENCES delivery_projects (id),
    category    NVARCHAR(32) NOT NULL CHECK (category IN ('technical', 'data', 'integration', 'organisational', 'commercial', 'external')),
    cause       NVARCHAR(4000) NOT NULL,
    lessons     NVARCHAR(4000) NOT NULL,
    filed_by    BIGINT NOT NULL REFERENCES users (id),
    filed_at    DATETIMEOFFSET NOT NULL
);

CREATE TABLE portfolio_consents (
    project_id         BIGINT PRIMARY KEY REFERENCES delivery_projects (id),
    decision           NVARCHAR(16) NOT NULL CHECK (decision IN ('granted', 'declined')),
    client_named       BIT NOT NULL DEFAULT 0,
    portfolio_case_id  BIGINT NULL REFERENCES portfolio_cases (id),
    decided_by         BIGINT NOT NULL REFERENCES users (id),
    decided_at         DATETIMEOFFSET NOT NULL
);

CREATE TABLE portfolio_case_tags (
    case_id  BIGINT NOT NULL REFERENCES portfolio_cases (id),
    tag      NVARCHAR(100) NOT NULL,
    PRIMARY KEY (case_id, tag)
);
