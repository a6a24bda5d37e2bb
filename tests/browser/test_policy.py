"""The Content-Security-Policy in a real browser: the page and /api/docs work under it and break none of its rules."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.live import Screenshot


def _violations(page: Page) -> list[str]:
    found: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            found.append(message.text)

    page.on("console", note)
    return found


def test_the_page_works_under_the_policy(page: Page, app_url: str) -> None:
    violations = _violations(page)
    page.goto(app_url + "/")
    page.get_by_label("Describe the project").fill("A React Native app with Firebase")
    page.get_by_role("button", name="Find developers").click()
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    bar = page.locator("#cards .meter span").first
    assert bar.evaluate("node => node.style.width") != ""  # set from script (CSSOM), allowed by style-src 'self'
    assert violations == []


def test_the_api_docs_render_offline_under_the_policy(page: Page, app_url: str, screenshot: Screenshot) -> None:
    violations = _violations(page)
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(app_url) else outside.append(request.url))
    page.goto(app_url + "/api/docs")
    expect(page.get_by_text("/api/recommend").first).to_be_visible()
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("BestDev")
    screenshot(page, "api-docs")
    assert outside == []
    assert violations == []
