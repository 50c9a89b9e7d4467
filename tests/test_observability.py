"""Observability answers: one answer wires Sentry into the web app, in one config file."""

import pytest

from tests.conftest import Render


@pytest.mark.parametrize(("answer", "wired"), [(True, "true"), (False, "false")])
def test_error_tracking_in_browser_answer_sets_the_web_flag(
    render: Render, answer: bool, wired: str
):
    project = render(error_tracking_in_browser=answer)

    features = (project / "web/app/features.ts").read_text()

    assert f"export const errorTrackingInBrowser = {wired};" in features
