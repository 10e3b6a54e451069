-- The append-only audit log of challenge transitions (who, when, what, why, from -> to), and in-app
-- notifications, each written in the same transaction as the change it reports. delivery_status is for
-- the e-mail job: pending until it sends the message.
CREATE TABLE challenge_audit (
    id             INTEGER PRIMARY KEY,
    challenge_id   INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    actor_user_id  INTEGER NULL REFERENCES users (id),
    action         TEXT NOT NULL,
    from_status    TEXT NULL,
    to_status      TEXT NULL,
    reason         TEXT NULL,
    occurred_at    TEXT NOT NULL
);
CREATE INDEX ix_challenge_audit_challenge ON challenge_audit (challenge_id, id);

CREATE TABLE notifications (
    id                 INTEGER PRIMARY KEY,
    recipient_user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind               TEXT NOT NULL,
    challenge_id       INTEGER NULL REFERENCES challenges (id) ON DELETE CASCADE,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    read_at            TEXT NULL,
    delivery_status    TEXT NOT NULL DEFAULT 'pending',
    delivered_at       TEXT NULL
);
CREATE INDEX ix_notifications_recipient ON notifications (recipient_user_id, read_at);
CREATE INDEX ix_notifications_delivery ON notifications (delivery_status);
