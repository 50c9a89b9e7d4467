"""What every database connection gets: the API's (app/db.py), the worker's (app/jobs/db.py) and the
CLI's. Apart from app/db.py, which serves requests, so that a worker imports no FastAPI."""

from app.settings import Settings


def connection_arguments(settings: Settings) -> dict[str, str | int]:
    """Given to every connection, async or sync: connect and statement timeouts, a pg_stat name."""
    return {
        "options": f"-c statement_timeout={settings.database_statement_timeout_ms}",
        "connect_timeout": settings.database_connect_timeout_seconds,
        "application_name": settings.project_name,
    }
