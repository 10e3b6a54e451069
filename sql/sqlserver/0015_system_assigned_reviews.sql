-- Automatic reviewer assignment after a challenge closes is made by the system, not an officer: assigned_by becomes
-- nullable (NULL = assigned by the system; the audit log says "automatic"). SQL Server does not alter a column that a
-- foreign key uses, and 0011 left that key unnamed: find it, drop it, alter the column, and add it back with a name.
-- (Not run on this machine: no SQL Server here; the SQL Server tests run it when MARKETPLACE_TEST_SQLSERVER is set.)
DECLARE @fk sysname = (
    SELECT fk.name FROM sys.foreign_keys fk
    JOIN sys.foreign_key_columns fc ON fc.constraint_object_id = fk.object_id
    JOIN sys.columns c ON c.object_id = fc.parent_object_id AND c.column_id = fc.parent_column_id
    WHERE fk.parent_object_id = OBJECT_ID('review_assignments') AND c.name = 'assigned_by');
IF @fk IS NOT NULL EXEC ('ALTER TABLE review_assignments DROP CONSTRAINT ' + @fk);
ALTER TABLE review_assignments ALTER COLUMN assigned_by BIGINT NULL;
ALTER TABLE review_assignments ADD CONSTRAINT fk_review_assignments_assigned_by FOREIGN KEY (assigned_by) REFERENCES users (id);
