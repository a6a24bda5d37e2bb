"""The page in Chromium behind a double of its Azure front (Functions host + App Service authentication, as
infra/ deploys them): sign in, then a search, a team and feedback, with no key anywhere; then the session ends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, Response, expect

from bestdev.api.app import create_app
from bestdev.feedback.sqlite_store import SqliteStore
from bestdev.settings import Settings
from tests.browser.live import Screenshot, local_recommender
from tests.fakes.azure_front import AzureFront, azure_front

ROLE = "BestDev.User"
REACT_NATIVE = "A React Native app with Firebase"


@pytest.fixture
def front(tmp_path: Path) -> Iterator[tuple[AzureFront, str]]:
    store = SqliteStore(tmp_path / "feedback.sqlite3")
    app = create_app(Settings(BESTDEV_REQUIRED_ROLE=ROLE), recommender=local_recommender(), feedback=store)
    with azure_front(app, allowed_applications=(AzureFront.client_id,), people={"Ada": (ROLE,)}) as running:
        yield running
    store.close()


def sign_in(page: Page, url: str) -> None:
    """Open the page as a person would: with no session the platform sends the browser to sign in, then back."""
    page.goto(url + "/")
    assert page.url.startswith(url + "/_idp/authorize"), page.url  # the identity provider's page, not the app
    page.get_by_role("button", name="Sign in as Ada").click()
    page.wait_for_url(url + "/")


def test_signed_in_search_team_and_feedback_with_no_key(
    page: Page, front: tuple[AzureFront, str], screenshot: Screenshot
) -> None:
    double, url = front
    requests: list[Request] = []
    failures: list[Response] = []
    page.on("request", lambda request: requests.append(request))
    page.on("response", lambda response: failures.append(response) if response.status >= 400 else None)

    sign_in(page, url)
    expect(page.get_by_role("heading", name="BestDev", level=1)).to_be_visible()
    # the stylesheet applied: the masthead is laid out by style.css, not the browser's defaults
    assert page.locator(".masthead").evaluate("node => getComputedStyle(node).display") == "block"
    assert page.evaluate("() => typeof window.BESTDEV_CONFIG") == "object"  # config.js ran
    screenshot(page, "signed-in-page")

    page.get_by_label("Describe the project").fill(REACT_NATIVE)
    page.get_by_role("button", name="Find developers").click()
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    screenshot(page, "signed-in-search")

    page.get_by_role("button", name="Staff a team").click()
    expect(page.locator("#members > li").first).to_be_visible()
    screenshot(page, "signed-in-team")

    page.get_by_role("button", name="Find developers").click()
    feedback = page.get_by_role("group", name="Feedback on Chen Wei")
    feedback.get_by_role("button", name="Good pick").click()
    expect(feedback.locator(".feedback-status")).to_have_text("Saved: Chen Wei is a good pick. Thank you.")
    screenshot(page, "signed-in-feedback")

    assert failures == []  # no refusal on the way: sent to sign in, then everything loads
    for request in requests:
        assert "code=" not in request.url
        assert "x-functions-key" not in request.headers
    calls = [request for request in requests if "/api/" in request.url]
    assert {request.url.removeprefix(url) for request in calls} >= {"/api/recommend", "/api/team", "/api/feedback"}
    assert all("x-ms-client-principal" not in request.headers for request in calls)
    assert any("x-ms-client-principal" in seen for seen in double.seen)  # the platform added it, not the page


def test_when_the_session_ends_the_page_offers_to_sign_in_again(
    page: Page, front: tuple[AzureFront, str], screenshot: Screenshot
) -> None:
    _, url = front
    sign_in(page, url)
    page.context.clear_cookies()
    page.get_by_label("Describe the project").fill(REACT_NATIVE)
    page.get_by_role("button", name="Find developers").click()
    alert = page.get_by_role("alert").and_(page.locator("#error"))
    expect(alert).to_contain_text("Please sign in again")
    screenshot(page, "signed-in-session-ended")
    alert.get_by_role("link", name="Sign in").click()
    page.get_by_role("button", name="Sign in as Ada").click()
    page.wait_for_url(url + "/")
    page.get_by_label("Describe the project").fill(REACT_NATIVE)
    page.get_by_role("button", name="Find developers").click()
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")


def test_the_page_says_who_is_signed_in_and_signs_out(
    page: Page, front: tuple[AzureFront, str], screenshot: Screenshot
) -> None:
    _, url = front
    sign_in(page, url)
    caller = page.locator("#caller")
    expect(caller).to_have_text("Signed in as Ada · Sign out")
    screenshot(page, "signed-in-caller")
    caller.get_by_role("link", name="Sign out").click()
    expect(page.get_by_role("heading", name="You have successfully signed out")).to_be_visible()
    page.goto(url + "/")
    assert page.url.startswith(url + "/_idp/authorize"), page.url  # signed out: sent to sign in again
