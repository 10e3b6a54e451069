-- Reviewers' declared expertise, used later to propose reviewers for proposals.
CREATE TABLE reviewer_profiles (
    user_id     BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    expertise   NVARCHAR(MAX) NOT NULL,
    tags        NVARCHAR(MAX) NOT NULL DEFAULT '',
    updated_at  DATETIMEOFFSET NOT NULL
);
