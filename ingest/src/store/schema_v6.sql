-- Schema version 6: the audit log is append-only. Who did what and when (logins, uploads,
-- exports, reports, taxonomy, escalation and account changes) is recorded with ids and counts,
-- never with item text; no statement may change or remove a recorded line.

CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: its lines cannot be changed');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: its lines cannot be removed');
END;
