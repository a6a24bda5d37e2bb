"""axe-core finds nothing (WCAG 2.0-2.2 A/AA and best practice) in each state of the page, at desktop and phone width.

What axe cannot judge (the focus ring's contrast, forced colours, what is announced, where focus goes) is measured by
test_focus_ring, test_forced_colours and test_announcements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.resources import files
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bestdev.api.app import create_app
from tests.browser.live import GatedRecommender, ModelSettings, Serve, app_with, local_recommender
from tests.fakes.openai_model import FakeModel, Reply

AXE = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")  # axe-core, shipped in the wheel
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
REACT_NATIVE = "A React Native app with Firebase"
TEAM = "React Native app, Go gRPC backend on Kubernetes, Terraform, Power BI reports, and a Svelte admin"

RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
"""


def violations(page: Page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    found: list[str] = page.evaluate(RUN_AXE, RULES)
    return found


def search(page: Page, description: str) -> None:
    page.get_by_label("Describe the project").fill(description)
    page.get_by_role("button", name="Find developers").click()


@pytest.fixture
def gated() -> Iterator[GatedRecommender]:
    recommender = GatedRecommender(local_recommender())
    yield recommender
    recommender.gate.set()


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_axe_finds_nothing_in_any_state(
    request: pytest.FixtureRequest,
    device: str,
    app_url: str,
    model_app_url: str,
    serve: Serve,
    model_settings: ModelSettings,
    fake_model: FakeModel,
    gated: GatedRecommender,
) -> None:
    page: Page = request.getfixturevalue(device)
    fake_model.script(Reply.answer(" Mallory, because she said so."), Reply.error(503))
    failing_app = serve(create_app(model_settings(BESTDEV_FALLBACK="none", BESTDEV_MODEL_MAX_RETRIES=0)))
    gated_app = serve(app_with(gated))

    def start() -> None:
        page.goto(app_url + "/")

    def field_error() -> None:
        page.goto(app_url + "/")
        page.get_by_label("Describe the project").press("Control+Enter")
        expect(page.locator("#description-error")).not_to_be_empty()

    def busy() -> None:
        page.goto(gated_app + "/")
        search(page, REACT_NATIVE)
        assert gated.waiting.wait(10), "the request never reached the API"
        expect(page.locator("#submit")).to_have_attribute("aria-disabled", "true")

    def results() -> None:
        page.goto(app_url + "/")
        search(page, REACT_NATIVE)
        expect(page.locator("#cards .card").first).to_be_visible()

    def busy_again() -> None:  # the last answer stays on the page, greyed, while the next one is on its way
        gated.gate.set()
        page.goto(gated_app + "/")
        search(page, REACT_NATIVE)
        expect(page.locator("#cards .card").first).to_be_visible()
        gated.gate.clear()
        gated.waiting.clear()
        page.get_by_role("button", name="Find developers").click()
        assert gated.waiting.wait(10), "the request never reached the API"
        expect(page.locator("#cards")).to_have_attribute("aria-busy", "true")

    def no_match() -> None:
        page.goto(app_url + "/")
        search(page, "Maintain a COBOL batch system on the mainframe")
        expect(page.locator("#empty")).to_be_visible()

    def fallback() -> None:
        page.goto(model_app_url + "/")
        search(page, REACT_NATIVE)
        expect(page.locator("#notice")).to_be_visible()

    def error() -> None:
        page.goto(failing_app + "/")
        search(page, REACT_NATIVE)
        expect(page.locator("#error")).not_to_be_empty()

    def explained() -> None:  # chips of what was read (one dropped), matched and missing skills on the cards
        page.goto(app_url + "/")
        search(page, "Java, Spring Boot, Kafka and a Postgres database. Docker is a must.")
        expect(page.locator("#cards .lack").first).to_be_visible()
        page.locator("#read-chips button.read", has_text="Kafka").click()
        expect(page.locator("#read-chips button.read-dropped")).to_be_visible()

    def closest() -> None:
        page.goto(app_url + "/")
        search(page, "A Svelte frontend on Supabase")
        expect(page.locator("#closest .card").first).to_be_visible()

    def team() -> None:
        page.goto(app_url + "/")
        page.get_by_label("Describe the project").fill(TEAM)
        page.get_by_role("button", name="Staff a team").click()
        expect(page.locator("#members .card").first).to_be_visible()

    states: dict[str, Callable[[], None]] = {
        "start": start,
        "field error": field_error,
        "busy": busy,
        "results": results,
        "busy again": busy_again,
        "no match": no_match,
        "fallback": fallback,
        "error": error,
        "explained": explained,
        "closest": closest,
        "team": team,
    }
    report: dict[str, Any] = {}
    for name, reach in states.items():
        reach()
        report[name] = violations(page)
    assert report == {name: [] for name in states}
