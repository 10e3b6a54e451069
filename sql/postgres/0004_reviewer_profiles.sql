-- Reviewers' declared expertise, used later to propose reviewers for proposals.
CREATE TABLE reviewer_profiles (
    user_id     BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    expertise   TEXT NOT NULL,
    tags        TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMPTZ NOT NULL
);
