"""The two kinds of job failure that decide between retrying and failing at once."""


class TransientError(Exception):
    """A failure that may pass (a service busy or down): the task is retried with backoff."""


class InvalidPayloadError(Exception):
    """The job's arguments do not match its payload model: it fails once, never retried."""
