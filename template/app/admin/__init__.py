"""The admin console's API: managing users, "log in as" (impersonation) and the audit trail."""
