-- A vendor's capability profile, its capability tags and industries, and its portfolio of past cases.
CREATE TABLE vendor_profiles (
    organisation_id    INTEGER PRIMARY KEY REFERENCES organisations (id),
    language           TEXT NOT NULL CHECK (language IN ('zh', 'en')),
    summary            TEXT NOT NULL,
    max_trl_delivered  INTEGER NULL CHECK (max_trl_delivered BETWEEN 1 AND 9),
    updated_at         TEXT NOT NULL
);

CREATE TABLE vendor_capabilities (
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    tag              TEXT NOT NULL,
    PRIMARY KEY (organisation_id, tag)
);
CREATE INDEX ix_vendor_capabilities_tag ON vendor_capabilities (tag);

CREATE TABLE vendor_industries (
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    industry         TEXT NOT NULL,
    PRIMARY KEY (organisation_id, industry)
);

CREATE TABLE portfolio_cases (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    title            TEXT NOT NULL,
    client           TEXT NULL,
    industry         TEXT NULL,
    year             INTEGER NULL,
    body             TEXT NOT NULL,
    outcome          TEXT NULL,
    trl              INTEGER NULL CHECK (trl BETWEEN 1 AND 9),
    created_at       TEXT NOT NULL
);
CREATE INDEX ix_portfolio_cases_organisation ON portfolio_cases (organisation_id);
