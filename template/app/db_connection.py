"""What every database connection gets: the API's (app/db.py), the worker's (app/jobs/db.py) and the
CLI's (`command_session`). Apart from app/db.py, which serves requests, so that a worker imports no
FastAPI."""

from sqlalchemy import NullPool
from sqlmodel import Session, create_engine

from app.settings import Settings, get_settings


def connection_arguments(settings: Settings) -> dict[str, str | int]:
    """Given to every connection, async or sync: connect and statement timeouts, a pg_stat name."""
    return {
        "options": f"-c statement_timeout={settings.database_statement_timeout_ms}",
        "connect_timeout": settings.database_connect_timeout_seconds,
        "application_name": settings.project_name,
    }


def command_session() -> Session:
    """A short-lived synchronous session for one command (`with command_session() as db: …`)."""
    settings = get_settings()
    engine = create_engine(
        settings.sqlalchemy_url, poolclass=NullPool, connect_args=connection_arguments(settings)
    )
    return Session(engine, expire_on_commit=False)
