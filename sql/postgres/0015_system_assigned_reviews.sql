-- Automatic reviewer assignment after a challenge closes is made by the system, not an officer: assigned_by becomes
-- nullable (NULL = assigned by the system; the audit log says "automatic").
ALTER TABLE review_assignments ALTER COLUMN assigned_by DROP NOT NULL;
