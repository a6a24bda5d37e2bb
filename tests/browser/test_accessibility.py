"""Labels, focus order and text contrast of the page, measured in the browser (announcements: test_announcements)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from bestdev.api.app import create_app
from tests.browser.colour import TEXT_CONTRAST_FAILURES
from tests.browser.live import ModelSettings, Serve
from tests.fakes.openai_model import FakeModel, Reply


def test_controls_are_labelled(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    expect(page.get_by_label("Describe the project")).to_have_js_property("tagName", "TEXTAREA")
    expect(page.get_by_label("Show")).to_have_js_property("tagName", "SELECT")
    expect(page.get_by_role("button", name="Find developers")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("BestDev")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    description = page.get_by_label("Describe the project")
    expect(description).to_have_attribute("aria-describedby", "description-hint description-count description-error")


def test_focus_follows_the_reading_order(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    seen: list[str] = []
    while len(seen) < 11:
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        if not seen or focused != seen[-1]:  # a date input takes a Tab per part (day, month, year)
            seen.append(focused)
    assert seen == [
        "Skip to the project description",
        "description",
        "Mobile app with Firebase",
        "Azure serverless migration",
        "Machine learning",
        "top-k",
        "start",
        "submit",
        "team-size",
        "staff",
        "API documentation",
    ]


def test_skip_link_reaches_the_description(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the project description")).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Mobile app with Firebase")).to_be_focused()


def test_text_contrast_meets_wcag_aa(
    page: Page, app_url: str, model_app_url: str, serve: Serve, model_settings: ModelSettings, fake_model: FakeModel
) -> None:
    fake_model.script(Reply.answer(" Mallory, because she said so."), Reply.error(503))
    states = {
        "results": (app_url, "A React Native app with Firebase", "#cards h3"),
        "no match": (app_url, "A COBOL batch system", "#empty"),
        "fallback": (model_app_url, "React Native", "#notice"),
        "error": (
            serve(create_app(model_settings(BESTDEV_FALLBACK="none", BESTDEV_MODEL_MAX_RETRIES=0))),
            "Go",
            "#error",
        ),
    }
    for state, (url, description, shown) in states.items():
        page.goto(url + "/")
        page.get_by_label("Describe the project").fill(description)
        page.get_by_role("button", name="Find developers").click()
        expect(page.locator(shown).first).to_be_visible()
        report = page.evaluate(TEXT_CONTRAST_FAILURES)
        assert report["checked"] > 10, state
        assert report["failures"] == [], f"{state}: {report['failures']}"
