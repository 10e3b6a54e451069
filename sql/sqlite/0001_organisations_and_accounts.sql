-- Organisations (enterprise, vendor, programme office), user accounts for ASP.NET Core Identity,
-- the fixed roles, memberships of users in organisations, and invitations to join one.
CREATE TABLE organisations (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('enterprise', 'vendor', 'programme_office')),
    name          TEXT NOT NULL,
    name_en       TEXT NULL,
    industry      TEXT NULL,
    city          TEXT NULL,
    headcount     INTEGER NULL,
    founded_year  INTEGER NULL,
    website       TEXT NULL,
    description   TEXT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    user_name             TEXT NOT NULL,
    normalized_user_name  TEXT NOT NULL UNIQUE,
    email                 TEXT NOT NULL,
    normalized_email      TEXT NOT NULL UNIQUE,
    email_confirmed       INTEGER NOT NULL DEFAULT 0,
    display_name          TEXT NOT NULL,
    preferred_language    TEXT NOT NULL DEFAULT 'zh-CN',
    password_hash         TEXT NULL,
    security_stamp        TEXT NOT NULL,
    concurrency_stamp     TEXT NOT NULL,
    lockout_enabled       INTEGER NOT NULL DEFAULT 1,
    lockout_end           TEXT NULL,
    access_failed_count   INTEGER NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL
);

CREATE TABLE roles (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    normalized_name  TEXT NOT NULL UNIQUE
);

INSERT INTO roles (id, name, normalized_name) VALUES
    (1, 'Enterprise', 'ENTERPRISE'),
    (2, 'Vendor', 'VENDOR'),
    (3, 'Reviewer', 'REVIEWER'),
    (4, 'Officer', 'OFFICER'),
    (5, 'Admin', 'ADMIN');

CREATE TABLE user_roles (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id  INTEGER NOT NULL REFERENCES roles (id),
    PRIMARY KEY (user_id, role_id)
);

CREATE TABLE memberships (
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    is_owner         INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX ix_memberships_organisation ON memberships (organisation_id);

CREATE TABLE invitations (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    email            TEXT NOT NULL,
    token_hash       TEXT NOT NULL UNIQUE,
    invited_by       INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    accepted_at      TEXT NULL
);
CREATE INDEX ix_invitations_organisation ON invitations (organisation_id);
