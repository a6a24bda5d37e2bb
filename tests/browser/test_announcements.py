"""What a screen reader hears, and where keyboard focus stays: live regions and focus, measured in the browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bestdev.api.app import create_app
from tests.browser.live import GatedRecommender, ModelSettings, Serve, app_with, local_recommender
from tests.fakes.openai_model import FakeModel, Reply

REACT_NATIVE = "A React Native app with Firebase"
EMPTY_ERROR = "Describe the project first: what it is and the technologies it uses."
SHORT = 160  # characters: what all live regions together may say after an answer

# Every live region in the page (explicit aria-live, or a role that implies one) and the text it holds.
LIVE_REGIONS = """
() => {
  const selector = '[aria-live]:not([aria-live="off"]), [role="alert"], [role="status"], [role="log"], [role="timer"]';
  return [...document.querySelectorAll(selector)].map((node) => ({
    id: node.id,
    role: node.getAttribute("role") || "",
    text: node.innerText.replace(/\\s+/g, " ").trim(),
    inTree: !node.closest("[hidden]") && getComputedStyle(node).display !== "none",
    nested: Boolean(node.parentElement && node.parentElement.closest(selector)),
    holdsCards: Boolean(node.querySelector("#cards, .card")),
  }));
}
"""

# Records each text a node shows from now on (to see an alert emptied and filled again).
RECORD_TEXTS = """
(node) => {
  window.__texts = [];
  new MutationObserver(() => window.__texts.push(node.textContent))
    .observe(node, { childList: true, characterData: true, subtree: true });
}
"""


def live_regions(page: Page) -> dict[str, dict[str, Any]]:
    regions: list[dict[str, Any]] = page.evaluate(LIVE_REGIONS)
    return {region["id"]: region for region in regions}


def search(page: Page, description: str) -> None:
    page.get_by_label("Describe the project").fill(description)
    page.get_by_role("button", name="Find developers").click()


def assert_well_formed(regions: dict[str, dict[str, Any]]) -> None:
    """The live regions are the field error, the status line and the error alert; in the page from the start (so
    that filling them is announced), none inside another, none holding the cards."""
    assert set(regions) == {"description-error", "summary", "error"}
    assert regions["description-error"]["role"] == "alert"
    assert regions["summary"]["role"] == "status"
    assert regions["error"]["role"] == "alert"
    for region in regions.values():
        assert region["inTree"], region
        assert not region["nested"], region
        assert not region["holdsCards"], region


def test_the_live_regions_are_ready_before_anything_happens(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    regions = live_regions(page)
    assert_well_formed(regions)
    assert [region["text"] for region in regions.values()] == ["", "", ""]
    expect(page.locator("#results")).not_to_have_attribute("aria-live", "polite")


@pytest.mark.parametrize(
    ("top_k", "summary"),
    [
        ("3", "3 developers found. Best fit: Chen Wei, Mobile Developer."),
        ("1", "1 developer found: Chen Wei, Mobile Developer."),
        ("10", None),  # as many as matched, however many that is
    ],
)
def test_an_answer_is_announced_in_one_short_line(page: Page, app_url: str, top_k: str, summary: str | None) -> None:
    page.goto(app_url + "/")
    page.get_by_label("Show").select_option(top_k)
    search(page, REACT_NATIVE)
    cards = page.locator("#cards > li")
    expect(cards.first).to_be_visible()
    expect(page.locator("#summary")).not_to_have_text("Finding developers…")
    expected = summary or f"{cards.count()} developers found. Best fit: Chen Wei, Mobile Developer."
    regions = live_regions(page)
    assert_well_formed(regions)
    assert regions["summary"]["text"] == expected
    said = " ".join(region["text"] for region in regions.values())
    assert len(said) <= SHORT, said
    request_id = page.locator("#answered-by").inner_text()
    assert "Request ID" in request_id
    assert "Request ID" not in said  # the cards, the reasons and the request id are there to read, not read out
    assert cards.first.locator(".reason").inner_text() not in said


def test_no_match_fallback_and_errors_are_announced_briefly(
    page: Page, app_url: str, model_app_url: str, serve: Serve, model_settings: ModelSettings, fake_model: FakeModel
) -> None:
    page.goto(app_url + "/")
    search(page, "Maintain a COBOL batch system on the mainframe")
    expect(page.locator("#empty")).to_be_visible()
    assert live_regions(page)["summary"]["text"] == "Nobody in your pool fits this project."

    fake_model.script(Reply.answer(" Mallory, because she said so."), Reply.error(503))
    page.goto(model_app_url + "/")
    search(page, REACT_NATIVE)
    expect(page.locator("#notice")).to_be_visible()
    regions = live_regions(page)
    assert regions["summary"]["text"] == (
        "3 developers found. Best fit: Chen Wei, Mobile Developer."
        " Answered by the local recommender: the fine-tuned model could not answer."
    )
    assert len(" ".join(region["text"] for region in regions.values())) <= SHORT

    page.goto(serve(create_app(model_settings(BESTDEV_FALLBACK="none", BESTDEV_MODEL_MAX_RETRIES=0))) + "/")
    search(page, REACT_NATIVE)
    expect(page.get_by_role("alert").filter(has_text="BestDev could not answer")).to_be_visible()
    regions = live_regions(page)
    assert_well_formed(regions)
    assert regions["summary"]["text"] == ""
    assert regions["error"]["text"].startswith("BestDev could not answer The recommendation model failed")


def test_the_same_outcome_twice_is_announced_twice(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    search(page, REACT_NATIVE)
    summary = page.locator("#summary")
    expect(summary).to_have_text("3 developers found. Best fit: Chen Wei, Mobile Developer.")
    summary.evaluate(RECORD_TEXTS)
    page.get_by_role("button", name="Find developers").click()
    # a function, not an expression: polling an expression evals it, which the page's CSP (no 'unsafe-eval') forbids
    page.wait_for_function("() => window.__texts.length >= 2 && window.__texts.at(-1).endsWith('Mobile Developer.')")
    texts = page.evaluate("window.__texts")
    assert texts[0] == "Finding developers…"  # the line changed in between, so the same answer is a change again
    assert texts[-1] == "3 developers found. Best fit: Chen Wei, Mobile Developer."


@pytest.mark.parametrize("how", ["Control+Enter", "click"])
def test_an_empty_description_is_announced_however_it_was_sent(page: Page, app_url: str, how: str) -> None:
    calls: list[str] = []
    page.on("request", lambda request: calls.append(request.url) if "/api/recommend" in request.url else None)
    page.goto(app_url + "/")
    box = page.get_by_label("Describe the project")
    box.focus()

    def send() -> None:
        if how == "click":
            page.get_by_role("button", name="Find developers").click()
        else:
            page.keyboard.press(how)

    send()
    alert = page.get_by_role("alert").filter(has_text="Describe the project first")
    expect(alert).to_have_text(EMPTY_ERROR)
    expect(alert).to_have_id("description-error")
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    # Sent again as it is, the same error is emptied and filled again, so it is read out again.
    alert.evaluate(RECORD_TEXTS)
    send()
    expect(alert).to_have_text(EMPTY_ERROR)
    page.wait_for_function("() => window.__texts.length >= 2")
    assert page.evaluate("window.__texts") == ["", EMPTY_ERROR]
    # Typing clears it.
    page.keyboard.type("Go")
    expect(page.locator("#description-error")).to_have_text("")
    expect(box).not_to_have_attribute("aria-invalid", "true")
    assert calls == []


def test_focus_stays_put_while_a_request_runs(page: Page, serve: Serve) -> None:
    gated = GatedRecommender(local_recommender())
    calls: list[str] = []
    page.on("request", lambda request: calls.append(request.url) if "/api/recommend" in request.url else None)
    page.goto(serve(app_with(gated)) + "/")
    page.get_by_label("Describe the project").fill(REACT_NATIVE)
    button = page.locator("#submit")
    button.click()
    assert gated.waiting.wait(10), "the request never reached the API"
    expect(button).to_have_attribute("aria-disabled", "true")
    assert button.get_attribute("disabled") is None
    expect(button).to_be_focused()  # a disabled button would have dropped focus to the page
    page.keyboard.press("Enter")  # pressing it again while busy sends nothing
    page.keyboard.press("Tab")
    next_stop = page.get_by_label("Team of up to")
    expect(next_stop).to_be_focused()  # Tab goes on from the button, not from the top of the page

    gated.gate.set()
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    expect(button).to_have_attribute("aria-disabled", "false")
    expect(next_stop).to_be_focused()  # the answer does not pull focus back
    assert len(calls) == 1


def test_focus_stays_on_the_button_through_the_request(page: Page, serve: Serve) -> None:
    gated = GatedRecommender(local_recommender())
    page.goto(serve(app_with(gated)) + "/")
    page.get_by_label("Describe the project").fill(REACT_NATIVE)
    button = page.locator("#submit")
    button.click()
    assert gated.waiting.wait(10), "the request never reached the API"
    expect(button).to_be_focused()
    gated.gate.set()
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    expect(button).to_be_focused()
    expect(button).to_be_enabled()


def test_focus_lost_with_replaced_content_goes_back_where_the_search_started(page: Page, serve: Serve) -> None:
    """If the focused element vanishes during the request (cards are replaced by the answer), focus is restored to
    where the search started instead of falling to the page."""
    gated = GatedRecommender(local_recommender())
    page.goto(serve(app_with(gated)) + "/")
    page.get_by_label("Describe the project").fill(REACT_NATIVE)
    gated.gate.set()
    page.get_by_role("button", name="Find developers").click()
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")

    gated.gate.clear()
    gated.waiting.clear()
    box = page.get_by_label("Describe the project")
    box.focus()
    page.keyboard.press("Control+Enter")
    assert gated.waiting.wait(10), "the request never reached the API"
    # Something inside the old cards holds focus (a control that later cards may carry), then is replaced.
    page.evaluate("() => { const h = document.querySelector('#cards h3'); h.tabIndex = -1; h.focus(); }")
    expect(page.locator("#cards h3").first).to_be_focused()
    gated.gate.set()
    expect(page.locator("#submit")).to_have_attribute("aria-disabled", "false")
    expect(box).to_be_focused()
