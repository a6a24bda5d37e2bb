"""The page at phone width (390 px): one column, nothing wider than the screen, a full-width button."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.live import Screenshot

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def test_phone_layout(phone_page: Page, app_url: str, screenshot: Screenshot) -> None:
    page = phone_page
    page.goto(app_url + "/")
    assert page.evaluate("window.innerWidth") == 390
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, "phone-start")

    form = page.locator("#search").bounding_box()
    button = page.get_by_role("button", name="Find developers").bounding_box()
    assert form is not None
    assert button is not None
    assert button["width"] > 0.85 * form["width"], "the submit button should span the form on a phone"
    assert button["height"] >= 44, "touch targets should be at least 44 px high"

    page.get_by_label("Describe the project").fill("A React Native app with Firebase for a coffee chain")
    page.get_by_role("button", name="Find developers").tap()
    cards = page.locator("#cards > li")
    expect(cards.first.locator("h3")).to_have_text("Chen Wei")
    assert page.evaluate(OVERFLOW) <= 0
    for index in range(cards.count()):
        box = cards.nth(index).bounding_box()
        assert box is not None
        assert box["x"] >= 0, f"card {index + 1} starts off the screen"
        assert box["x"] + box["width"] <= 390, f"card {index + 1} is wider than the screen"
    screenshot(page, "phone-result")
