"""The page tells the truth about its state: a description over the limit is said, not cut; a new search leaves
nothing of the last one; the masthead names the pool; the "We chose someone else" picker follows the answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Request, expect

from bestdev.pool import load_pool

REACT_NATIVE = "A React Native app with Firebase"
LONG_AD = ("We build a React Native app with Firebase and a Go backend on Kubernetes. " * 70)[:4912]


def search(page: Page, description: str) -> None:
    page.get_by_label("Describe the project").fill(description)
    page.get_by_role("button", name="Find developers").click()


def posts(page: Page) -> list[str]:
    sent: list[str] = []

    def record(request: Request) -> None:
        if request.method == "POST":
            sent.append(request.url)

    page.on("request", record)
    return sent


@pytest.fixture
def opened(page: Page, app_url: str) -> Page:
    page.goto(app_url + "/")
    return page


def test_a_pasted_text_over_the_limit_is_kept_whole_and_said(opened: Page) -> None:
    page = opened
    sent = posts(page)
    box = page.get_by_label("Describe the project")
    box.fill(LONG_AD)
    assert len(box.input_value()) == 4912  # not cut to 4,000 without a word
    expect(page.locator("#description-count")).to_have_text("4,912 / 4,000")
    expect(page.locator("#description-count")).to_have_class("hint count over")
    expect(page.locator("#description-error")).to_have_text(
        "The description is longer than the 4,000-character limit; shorten it to search."
    )
    expect(box).to_have_attribute("aria-invalid", "true")

    page.get_by_role("button", name="Find developers").click()
    expect(page.locator("#description-error")).to_have_text(
        "The description is 4,912 characters; the limit is 4,000. Shorten it by 912 characters to search."
    )
    expect(box).to_be_focused()
    expect(page.locator("#cards > li")).to_have_count(0)
    assert sent == []  # refused in the page, not sent

    box.fill(LONG_AD[:4000])
    expect(page.locator("#description-error")).to_have_text("")
    expect(page.locator("#description-count")).to_have_text("4,000 / 4,000")
    expect(page.locator("#description-count")).to_have_class("hint count")
    page.get_by_role("button", name="Find developers").click()
    expect(page.locator("#cards > li").first).to_be_visible()


def test_staffing_a_team_is_refused_alike_when_too_long(opened: Page) -> None:
    sent = posts(opened)
    opened.get_by_label("Describe the project").fill(LONG_AD)
    opened.get_by_role("button", name="Staff a team").click()
    expect(opened.locator("#description-error")).to_contain_text("the limit is 4,000")
    assert sent == []


def test_searching_with_the_text_emptied_clears_the_last_answer_and_its_chips(opened: Page) -> None:
    page = opened
    search(page, REACT_NATIVE)
    expect(page.locator("#cards > li")).to_have_count(3)
    expect(page.locator("#read-chips button.read")).to_have_count(2)
    expect(page.locator("#chose-other")).to_have_count(1)

    search(page, "")
    expect(page.locator("#description-error")).to_have_text(
        "Describe the project first: what it is and the technologies it uses."
    )
    expect(page.locator("#cards > li")).to_have_count(0)
    expect(page.locator("#read-chips > li")).to_have_count(0)
    expect(page.locator("#understood")).to_be_hidden()
    expect(page.locator("#answered-by")).to_be_hidden()
    expect(page.locator("#chose-other")).to_have_count(0)
    expect(page.locator("#summary")).to_have_text("")


def test_a_new_search_shows_only_its_own_chips_and_results(opened: Page) -> None:
    page = opened
    search(page, REACT_NATIVE)
    expect(page.locator("#read-chips .read-name")).to_have_text(["React Native", "Firebase"])
    search(page, "A Svelte frontend on Supabase")
    expect(page.locator("#read-chips .read-name")).to_have_text(["Svelte", "frontend", "Supabase"])
    expect(page.locator("#cards > li")).to_have_count(0)
    expect(page.locator("#empty")).to_be_visible()


def test_the_masthead_names_the_loaded_pool(opened: Page) -> None:
    pool = load_pool()
    expect(opened.locator("#pool-info")).to_have_text(f"Pool: {pool.company}, {len(pool.developers)} developers")


def test_a_pool_that_cannot_be_loaded_is_said(page: Page, app_url: str) -> None:
    page.route("**/api/pool", lambda route: route.fulfill(status=503, body="{}"))
    page.goto(app_url + "/")
    expect(page.locator("#pool-info")).to_have_text("The pool could not be loaded.")


def _order(page: Page, *selectors: str) -> list[str]:
    """The selectors in the order their elements come in the page."""
    found: list[str] = page.evaluate(
        """(selectors) => selectors
             .map((s) => [s, document.querySelector(s)])
             .sort(([, a], [, b]) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))
             .map(([s]) => s)""",
        list(selectors),
    )
    return found


def test_the_picker_comes_after_the_closest_people_when_nobody_fits(opened: Page) -> None:
    search(opened, "A Svelte frontend on Supabase")
    expect(opened.get_by_role("region", name="Closest, but not a fit")).to_be_visible()
    expect(opened.locator("#chose-other")).to_be_visible()
    assert _order(opened, "#chose-other", "#closest-section", "#empty") == [
        "#empty",
        "#closest-section",
        "#chose-other",
    ]


def test_the_picker_comes_after_the_recommendations(opened: Page) -> None:
    search(opened, REACT_NATIVE)
    expect(opened.locator("#chose-other")).to_be_visible()
    assert _order(opened, "#chose-other", "#cards") == ["#cards", "#chose-other"]


def test_a_search_that_fails_leaves_nothing_of_the_last_answer(opened: Page) -> None:
    page = opened
    search(page, REACT_NATIVE)
    expect(page.locator("#read-chips button.read")).to_have_count(2)
    page.route(
        "**/api/recommend",
        lambda route: route.fulfill(
            status=503,
            content_type="application/json",
            body='{"error": {"code": "model_unavailable", "message": "The recommendation model failed: down."}}',
        ),
    )
    search(page, "A Go service on Kubernetes")
    expect(page.locator("#error")).to_contain_text("The recommendation model failed: down.")
    expect(page.locator("#cards > li")).to_have_count(0)
    expect(page.locator("#read-chips > li")).to_have_count(0)
    expect(page.locator("#understood")).to_be_hidden()
    expect(page.locator("#chose-other")).to_have_count(0)
