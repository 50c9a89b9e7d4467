"""The base of every task: a validated pydantic payload, and retries for transient errors only."""

from collections.abc import Callable
from typing import Any, cast

import structlog
from celery import Task
from celery.result import AsyncResult
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import OperationalError

from app.jobs.celery_app import celery_app
from app.jobs.errors import InvalidPayloadError, TransientError
from app.settings import get_settings

logger = structlog.get_logger(__name__)


class PayloadTask[**PayloadFields, ResultT](Task[PayloadFields, ResultT]):
    """Validates the message's keyword arguments into `payload_model` before any work starts.

    Its call signature is its payload model's: `purge_done_items(older_than_days=30)`.
    """

    payload_model: type[BaseModel]

    # Retried with exponential backoff and full jitter: 1 s, 2 s, 4 s… capped, randomised.
    autoretry_for = (TransientError, ConnectionError, TimeoutError, OperationalError)
    retry_backoff = True
    retry_jitter = True
    # An invalid payload is an expected outcome: Celery logs it without a traceback.
    throws = (InvalidPayloadError,)
    # Arguments are checked against the payload model, not against the function's signature.
    typing = False

    # Read from settings when used, never at import: Celery asks for the cap once, when it first
    # builds the task, and for the retry limit at every retry.
    @property
    def max_retries(self) -> int:  # type: ignore[override]
        return get_settings().jobs_max_retries

    @property
    def retry_backoff_max(self) -> int:
        return get_settings().jobs_retry_backoff_max_seconds

    def __call__(self, *args: PayloadFields.args, **kwargs: PayloadFields.kwargs) -> ResultT:
        if args:
            raise InvalidPayloadError(f"{self.name} takes keyword arguments only")
        try:
            payload = self.payload_model.model_validate(kwargs)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in problem['loc']) or 'payload'}: {problem['msg']}"
                for problem in error.errors()
            )
            logger.error(
                "job payload rejected", task=self.name, job_id=self.request.id, errors=problems
            )
            raise InvalidPayloadError(f"invalid payload for {self.name}: {problems}") from None
        # The function itself takes the validated model; callers pass the model's fields.
        run_with_payload = cast(Callable[[BaseModel], ResultT], super().__call__)
        return run_with_payload(payload)

    def enqueue(self, payload: BaseModel) -> AsyncResult[ResultT]:
        """Queue this task with a payload already checked by the caller's own validation."""
        if not isinstance(payload, self.payload_model):
            raise TypeError(f"{self.name} takes a {self.payload_model.__name__} payload")
        return self.apply_async(kwargs=payload.model_dump(mode="json"))


def job[**PayloadFields, PayloadT: BaseModel, ResultT](
    name: str, payload: Callable[PayloadFields, PayloadT], **options: Any
) -> Callable[[Callable[[PayloadT], ResultT]], PayloadTask[PayloadFields, ResultT]]:
    """Register `function(payload)` as the task `name` (stable: messages in flight carry it).

    The task is called with the payload model's fields, so type checkers check them too.
    """
    # celery-types cannot say that `base=` and our `payload_model=` option make a PayloadTask.
    task_factory = cast(Callable[..., Any], celery_app.task)
    register: Callable[[Callable[[PayloadT], ResultT]], PayloadTask[PayloadFields, ResultT]]
    register = task_factory(name=name, base=PayloadTask, payload_model=payload, **options)
    return register
