"""The audit trail: events recorded in the transaction of what they record, browsed by admins."""
