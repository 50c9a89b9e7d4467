"""Browser-test fixtures for observability: the production server reporting to local stand-ins."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.observability.utils import RELEASE, SentryIngest, serve


@pytest.fixture
def sentry_ingest() -> Iterator[SentryIngest]:
    ingest = SentryIngest()
    yield ingest
    ingest.stop()


@pytest.fixture
def reporting_server(
    sentry_ingest: SentryIngest, production_bundle: Path, migrated_database: None, tmp_path: Path
) -> Iterator[str]:
    """`just serve` with the production bundle, reporting errors to the stand-in."""
    environment = {
        "SENTRY_DSN": sentry_ingest.dsn,
        "RELEASE": RELEASE,
        "WEB_DIST_DIR": str(production_bundle),
    }
    with serve(environment, tmp_path / "server.log") as base_url:
        yield base_url
