"""The audit trail: every change is recorded by the service that makes it, in the same transaction."""
