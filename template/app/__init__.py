"""Backend package of the application: HTTP API, database models, jobs and mail."""
