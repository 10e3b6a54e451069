-- E-mail. Every notification that should reach someone's inbox gets one email_outbox row, written in the same
-- transaction as the notification row (so a rolled-back change mails nobody). The dispatcher claims pending rows
-- (claim_owner + claim_expires_at, so two app servers never send the same row), sends them, and marks them sent;
-- a failure is retried at next_attempt_at with exponential backoff until Email:MaxAttempts, then the row is dead
-- (dead letter) until an administrator retries it. message_id is the RFC 5322 Message-ID, fixed when the row is
-- written and reused on every attempt.
-- status: pending (to send), sent, dead (gave up), suppressed (the recipient turned this kind or all e-mail off),
-- digest (waits for the recipient's daily digest), digested (went out inside the digest row digest_id).
-- SQL Server refuses more than one cascade path to a row, so here notification_id carries no foreign key (the other
-- dialects set it NULL when the notification goes) and the user reference does not cascade, as in notifications.
CREATE TABLE email_outbox (
    id                 BIGINT IDENTITY(1, 1) PRIMARY KEY,
    notification_id    BIGINT NULL,
    recipient_user_id  BIGINT NOT NULL REFERENCES users (id),
    kind               NVARCHAR(64) NOT NULL,
    recipient_address  NVARCHAR(256) NOT NULL,
    language           NVARCHAR(16) NOT NULL,
    subject            NVARCHAR(400) NOT NULL,
    text_body          NVARCHAR(MAX) NOT NULL,
    html_body          NVARCHAR(MAX) NOT NULL,
    status             NVARCHAR(16) NOT NULL,
    attempts           INT NOT NULL DEFAULT 0,
    next_attempt_at    DATETIMEOFFSET NOT NULL,
    claim_owner        NVARCHAR(100) NULL,
    claim_expires_at   DATETIMEOFFSET NULL,
    last_error         NVARCHAR(MAX) NULL,
    message_id         NVARCHAR(200) NOT NULL UNIQUE,
    digest_id          BIGINT NULL REFERENCES email_outbox (id),
    created_at         DATETIMEOFFSET NOT NULL,
    updated_at         DATETIMEOFFSET NOT NULL,
    sent_at            DATETIMEOFFSET NULL
);
CREATE INDEX ix_email_outbox_due ON email_outbox (status, next_attempt_at);
CREATE INDEX ix_email_outbox_recipient ON email_outbox (recipient_user_id, status);

-- Per-user e-mail preferences. No row means the defaults: every kind on, one mail per notification. mode is
-- 'single' or 'digest'; unsubscribed_at set means no e-mail at all (the one-click unsubscribe); unsubscribe_token
-- lets the link in every mail work without signing in. last_digest_on is the UTC day of the last daily digest.
CREATE TABLE email_preferences (
    user_id            BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    mode               NVARCHAR(16) NOT NULL DEFAULT 'single',
    unsubscribed_at    DATETIMEOFFSET NULL,
    unsubscribe_token  NVARCHAR(64) NOT NULL UNIQUE,
    last_digest_on     DATE NULL,
    updated_at         DATETIMEOFFSET NOT NULL
);

-- The notification kinds a user turned off for e-mail (they still see them in the app).
CREATE TABLE email_kind_optouts (
    user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     NVARCHAR(64) NOT NULL,
    PRIMARY KEY (user_id, kind)
);
