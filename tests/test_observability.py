"""Observability answers: Sentry in the web app, PostHog analytics; each one answer, one file."""

import pytest

from tests.conftest import Render


@pytest.mark.parametrize(("answer", "wired"), [(True, "true"), (False, "false")])
def test_error_tracking_in_browser_answer_sets_the_web_flag(
    render: Render, answer: bool, wired: str
):
    project = render(error_tracking_in_browser=answer)

    features = (project / "web/app/features.ts").read_text()

    assert f"export const errorTrackingInBrowser = {wired};" in features


@pytest.mark.parametrize("answer", [True, False])
def test_product_analytics_answer_wires_posthog_and_its_browser_test(render: Render, answer: bool):
    project = render(product_analytics=answer)

    features = (project / "web/app/features.ts").read_text()
    browser_test = project / "tests/integration/observability/test_analytics_in_browser.py"

    assert f"export const productAnalytics = {str(answer).lower()};" in features
    assert browser_test.is_file() is answer


def test_product_analytics_is_off_by_default(render: Render):
    project = render()

    assert "export const productAnalytics = false;" in (project / "web/app/features.ts").read_text()
