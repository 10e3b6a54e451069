-- Time-triggered notifications (a challenge's deadline is near, a delivery milestone is due) are sent once per
-- subject: the reminder run records each one here in the same transaction as its notification rows, so running it
-- again (or from two places at once) never notifies twice. subject_key names the subject and the date it is about
-- (e.g. "challenge:12:2026-12-31T10:00Z"), so a moved deadline or due date gets a reminder of its own.
CREATE TABLE notification_reminders (
    kind         TEXT NOT NULL,
    subject_key  TEXT NOT NULL,
    sent_at      TIMESTAMPTZ NOT NULL,
    recipients   INTEGER NOT NULL,
    PRIMARY KEY (kind, subject_key)
);
