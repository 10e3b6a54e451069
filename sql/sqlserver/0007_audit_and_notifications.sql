-- The append-only audit log of challenge transitions (who, when, what, why, from -> to), and in-app
-- notifications, each written in the same transaction as the change it reports. delivery_status is for
-- the e-mail job: pending until it sends the message.
CREATE TABLE challenge_audit (
    id             BIGINT IDENTITY(1, 1) PRIMARY KEY,
    challenge_id   BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    actor_user_id  BIGINT NULL REFERENCES users (id),
    action         NVARCHAR(64) NOT NULL,
    from_status    NVARCHAR(32) NULL,
    to_status      NVARCHAR(32) NULL,
    reason         NVARCHAR(MAX) NULL,
    occurred_at    DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_challenge_audit_challenge ON challenge_audit (challenge_id, id);

-- SQL Server refuses a second cascade path to the same row (users -> notifications and
-- challenges -> notifications), so only the challenge reference cascades here.
CREATE TABLE notifications (
    id                 BIGINT IDENTITY(1, 1) PRIMARY KEY,
    recipient_user_id  BIGINT NOT NULL REFERENCES users (id),
    kind               NVARCHAR(64) NOT NULL,
    challenge_id       BIGINT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    title              NVARCHAR(400) NOT NULL,
    body               NVARCHAR(MAX) NOT NULL,
    created_at         DATETIMEOFFSET NOT NULL,
    read_at            DATETIMEOFFSET NULL,
    delivery_status    NVARCHAR(16) NOT NULL DEFAULT 'pending',
    delivered_at       DATETIMEOFFSET NULL
);
CREATE INDEX ix_notifications_recipient ON notifications (recipient_user_id, read_at);
CREATE INDEX ix_notifications_delivery ON notifications (delivery_status);
