"""Background jobs on Celery: run a worker with `celery --app app.jobs:celery_app worker`."""

from app.jobs.celery_app import celery_app

__all__ = ["celery_app"]
