"""The SQL of the audit table's append-only triggers, for its migration and for tests that commit."""

MESSAGE = "Het auditspoor kan alleen worden aangevuld, niet gewijzigd of verwijderd"

POSTGRES = [
    f"""CREATE FUNCTION vertrouwen_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (%)', TG_OP USING ERRCODE = 'restrict_violation';
    END $$""",
    """CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION vertrouwen_refuse_audit_change()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
    "DROP FUNCTION vertrouwen_refuse_audit_change()",
]
SQLITE = [
    f"""CREATE TRIGGER audit_auditevent_no_{action.lower()} BEFORE {action} ON audit_auditevent
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for action in ("UPDATE", "DELETE")
]
SQLITE_REVERSE = [f"DROP TRIGGER audit_auditevent_no_{action}" for action in ("update", "delete")]
