"""API shapes of the jobs area."""

from pydantic import BaseModel


class JobQueued(BaseModel):
    """The work was queued; `job_id` identifies it in the worker's logs and results."""

    job_id: str
