"""The worker's database access: one synchronous engine per worker process, made after fork."""

from functools import lru_cache

from celery.signals import worker_process_init, worker_process_shutdown
from sqlalchemy import Engine
from sqlmodel import Session, create_engine

from app.db_connection import connection_arguments
from app.settings import get_settings


@lru_cache
def get_worker_engine() -> Engine:
    """A small pool on the API's psycopg 3 URL: a worker process runs one task at a time."""
    settings = get_settings()
    return create_engine(
        settings.sqlalchemy_url,
        pool_size=2,
        max_overflow=0,
        pool_timeout=settings.database_pool_timeout_seconds,
        pool_pre_ping=True,
        connect_args=connection_arguments(settings),
        hide_parameters=True,  # a logged database error never carries the values (user data)
    )


@worker_process_init.connect
def create_engine_after_fork(**_: object) -> None:
    """A forked child must not share the parent's pooled sockets: drop them, start afresh."""
    if get_worker_engine.cache_info().currsize:
        get_worker_engine().dispose(close=False)
        get_worker_engine.cache_clear()
    get_worker_engine()


@worker_process_shutdown.connect
def close_engine(**_: object) -> None:
    if get_worker_engine.cache_info().currsize:
        get_worker_engine().dispose()


def worker_session() -> Session:
    """A session for one unit of work in a task: `with worker_session() as session: …`."""
    return Session(get_worker_engine(), expire_on_commit=False)
