"""The audit trail: who did what to the platform's data and access, and when."""
