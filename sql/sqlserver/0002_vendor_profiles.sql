-- A vendor's capability profile, its capability tags and industries, and its portfolio of past cases.
CREATE TABLE vendor_profiles (
    organisation_id    BIGINT PRIMARY KEY REFERENCES organisations (id),
    language           NVARCHAR(8) NOT NULL CHECK (language IN ('zh', 'en')),
    summary            NVARCHAR(MAX) NOT NULL,
    max_trl_delivered  INT NULL CHECK (max_trl_delivered BETWEEN 1 AND 9),
    updated_at         DATETIMEOFFSET NOT NULL
);

CREATE TABLE vendor_capabilities (
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    tag              NVARCHAR(64) NOT NULL,
    PRIMARY KEY (organisation_id, tag)
);
CREATE INDEX ix_vendor_capabilities_tag ON vendor_capabilities (tag);

CREATE TABLE vendor_industries (
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    industry         NVARCHAR(64) NOT NULL,
    PRIMARY KEY (organisation_id, industry)
);

CREATE TABLE portfolio_cases (
    id               BIGINT IDENTITY(1, 1) PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    title            NVARCHAR(400) NOT NULL,
    client           NVARCHAR(400) NULL,
    industry         NVARCHAR(64) NULL,
    year             INT NULL,
    body             NVARCHAR(MAX) NOT NULL,
    outcome          NVARCHAR(MAX) NULL,
    trl              INT NULL CHECK (trl BETWEEN 1 AND 9),
    created_at       DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_portfolio_cases_organisation ON portfolio_cases (organisation_id);
