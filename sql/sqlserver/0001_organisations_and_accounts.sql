-- Organisations (enterprise, vendor, programme office), user accounts for ASP.NET Core Identity,
-- the fixed roles, memberships of users in organisations, and invitations to join one.
CREATE TABLE organisations (
    id            BIGINT IDENTITY(1, 1) PRIMARY KEY,
    slug          NVARCHAR(200) NOT NULL UNIQUE,
    kind          NVARCHAR(32) NOT NULL CHECK (kind IN ('enterprise', 'vendor', 'programme_office')),
    name          NVARCHAR(400) NOT NULL,
    name_en       NVARCHAR(400) NULL,
    industry      NVARCHAR(64) NULL,
    city          NVARCHAR(200) NULL,
    headcount     INT NULL,
    founded_year  INT NULL,
    website       NVARCHAR(400) NULL,
    description   NVARCHAR(MAX) NULL,
    created_at    DATETIMEOFFSET NOT NULL
);

CREATE TABLE users (
    id                    BIGINT IDENTITY(1, 1) PRIMARY KEY,
    user_name             NVARCHAR(256) NOT NULL,
    normalized_user_name  NVARCHAR(256) NOT NULL UNIQUE,
    email                 NVARCHAR(256) NOT NULL,
    normalized_email      NVARCHAR(256) NOT NULL UNIQUE,
    email_confirmed       BIT NOT NULL DEFAULT 0,
    display_name          NVARCHAR(200) NOT NULL,
    preferred_language    NVARCHAR(16) NOT NULL DEFAULT 'zh-CN',
    password_hash         NVARCHAR(MAX) NULL,
    security_stamp        NVARCHAR(64) NOT NULL,
    concurrency_stamp     NVARCHAR(64) NOT NULL,
    lockout_enabled       BIT NOT NULL DEFAULT 1,
    lockout_end           DATETIMEOFFSET NULL,
    access_failed_count   INT NOT NULL DEFAULT 0,
    created_at            DATETIMEOFFSET NOT NULL
);

CREATE TABLE roles (
    id               INT PRIMARY KEY,
    name             NVARCHAR(64) NOT NULL,
    normalized_name  NVARCHAR(64) NOT NULL UNIQUE
);

INSERT INTO roles (id, name, normalized_name) VALUES
    (1, 'Enterprise', 'ENTERPRISE'),
    (2, 'Vendor', 'VENDOR'),
    (3, 'Reviewer', 'REVIEWER'),
    (4, 'Officer', 'OFFICER'),
    (5, 'Admin', 'ADMIN');

CREATE TABLE user_roles (
    user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id  INT NOT NULL REFERENCES roles (id),
    PRIMARY KEY (user_id, role_id)
);

CREATE TABLE memberships (
    user_id          BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    is_owner         BIT NOT NULL DEFAULT 0,
    created_at       DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX ix_memberships_organisation ON memberships (organisation_id);

CREATE TABLE invitations (
    id               BIGINT IDENTITY(1, 1) PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    email            NVARCHAR(256) NOT NULL,
    token_hash       NVARCHAR(128) NOT NULL UNIQUE,
    invited_by       BIGINT NOT NULL REFERENCES users (id),
    created_at       DATETIMEOFFSET NOT NULL,
    expires_at       DATETIMEOFFSET NOT NULL,
    accepted_at      DATETIMEOFFSET NULL
);
CREATE INDEX ix_invitations_organisation ON invitations (organisation_id);
