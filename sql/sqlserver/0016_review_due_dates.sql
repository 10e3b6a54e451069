-- A review assignment has a date by which its scores are due: set when the assignment is made (the assignment time
-- plus `Review:DaysToScore`, 10 days by default), shown to the reviewer and the officer, and reminded by the
-- lifecycle clock ("reviews due", notification kind review_due) while scores are missing. Assignments made before
-- this migration get the default ten days from their assignment time.
ALTER TABLE review_assignments ADD due_at DATETIMEOFFSET NULL;
GO
UPDATE review_assignments SET due_at = DATEADD(day, 10, assigned_at);
CREATE INDEX ix_review_assignments_due ON review_assignments (due_at) WHERE status IN ('assigned', 'accepted');
