"""Structured logging: JSON lines in production, readable colours in development.

Tracebacks never carry local variables (they hold request data and can take seconds to render):
production writes the exception and its frames into the one JSON line, development prints a
short traceback of the project's own frames.
"""

import logging
import sys
import sysconfig
import traceback
from typing import TextIO

import structlog
from structlog.tracebacks import ExceptionDictTransformer
from structlog.typing import ExcInfo

from app.settings import Settings

# Library and standard-library code: left out of the development traceback.
_LIBRARY_PATHS = tuple(
    {sysconfig.get_paths()[name] for name in ("stdlib", "platstdlib", "purelib", "platlib")}
)


def _trim(exception: traceback.TracebackException) -> None:
    """Keep the project's frames and the one that raised, in this exception and its causes."""
    last = len(exception.stack) - 1
    exception.stack = traceback.StackSummary.from_list(
        [
            frame
            for index, frame in enumerate(exception.stack)
            if index == last or not frame.filename.startswith(_LIBRARY_PATHS)
        ]
    )
    for linked in (exception.__cause__, exception.__context__):
        if linked is not None:
            _trim(linked)


def short_traceback(sio: TextIO, exc_info: ExcInfo) -> None:
    """The standard traceback without library frames and without locals: quick to read and write.

    structlog's rich formatter was rejected for the console: it renders locals by default and takes
    long enough on a large app object to hold up the event loop.
    """
    exception = traceback.TracebackException(*exc_info, capture_locals=False)
    _trim(exception)
    sio.write("\n" + "".join(exception.format()).rstrip("\n"))


def configure_logging(settings: Settings) -> None:
    """Send structlog and standard-library records (uvicorn, SQLAlchemy) through one renderer."""
    shared_processors: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    # Rendering (exceptions included) happens in the handler, so reconfiguring always takes effect.
    rendering: list[structlog.typing.Processor]
    if settings.is_production:
        frames_only = ExceptionDictTransformer(show_locals=False, use_rich=False)
        rendering = [
            structlog.processors.ExceptionRenderer(frames_only),
            structlog.processors.JSONRenderer(),
        ]
    else:
        rendering = [
            structlog.dev.ConsoleRenderer(
                colors=sys.stderr.isatty(), exception_formatter=short_traceback
            )
        ]

    structlog.configure(
        processors=[*shared_processors, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared_processors,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *rendering],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(settings.log_level.upper())
    # Requests are logged once by our middleware; uvicorn's access log would repeat them.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
