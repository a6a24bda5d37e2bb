"""The page at GET /, in headless Chromium, against the real app on 127.0.0.1."""

from __future__ import annotations

import re
import socket

import pytest
from playwright.sync_api import Page, expect

from bestdev.api.app import create_app
from bestdev.pool import load_pool
from bestdev.recommend.local import NOTHING_RECOGNISED
from tests.browser.live import (
    GatedRecommender,
    ModelSettings,
    Screenshot,
    Serve,
    app_with,
    local_recommender,
    static_site,
)
from tests.fakes.openai_model import FakeModel, Reply

REACT_NATIVE = "A React Native app with Firebase"


def console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def search(page: Page, description: str) -> None:
    page.get_by_label("Describe the project").fill(description)
    page.get_by_role("button", name="Find developers").click()


def test_a_description_finds_the_right_developer(page: Page, app_url: str, screenshot: Screenshot) -> None:
    errors = console_errors(page)
    page.goto(app_url + "/")
    expect(page).to_have_title(re.compile("BestDev"))
    search(page, REACT_NATIVE)

    first = page.locator("#cards > li").first
    expect(first.get_by_role("heading", level=3)).to_have_text("Chen Wei")
    expect(first.locator(".role")).to_have_text("Mobile Developer")
    expect(first.locator(".chip")).to_have_text(["React Native", "Firebase"])
    expect(first.locator(".reason")).to_contain_text("React Native and Firebase")
    expect(first.locator(".fit-value")).to_have_text("100%")
    expect(page.locator("#summary")).to_have_text("3 developers found. Best fit: Chen Wei, Mobile Developer.")
    expect(page.locator("#answered-by")).to_contain_text("local recommender")
    expect(page.locator("#error")).to_be_hidden()
    expect(page.locator("#notice")).to_be_hidden()
    expect(page.locator("#caller")).to_be_hidden()  # no sign-in here: nobody to name, no sign-out
    screenshot(page, "desktop-result")
    assert errors == []


def test_every_name_shown_is_in_the_pool(page: Page, app_url: str) -> None:
    pool = {developer.name: developer for developer in load_pool().developers}
    page.goto(app_url + "/")
    page.get_by_label("Show").select_option("10")
    search(page, "Python, Azure Functions, Kubernetes and React on PostgreSQL")
    cards = page.locator("#cards > li")
    expect(cards.first).to_be_visible()
    assert cards.count() > 3
    for index in range(cards.count()):
        name = cards.nth(index).locator("h3").inner_text()
        known = {skill.casefold() for skill in (*pool[name].skills, *pool[name].experience)}
        for chip in cards.nth(index).locator(".chip").all_inner_texts():
            assert chip.casefold() in known, f"{chip} shown for {name}, who does not list it"


def test_ctrl_enter_submits_and_keeps_focus(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    box = page.get_by_label("Describe the project")
    box.focus()
    page.keyboard.type(REACT_NATIVE)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    expect(box).to_be_focused()
    expect(box).to_have_value(REACT_NATIVE)  # Ctrl+Enter did not add a newline


@pytest.mark.parametrize(
    ("description", "message"),
    [
        ("Maintain a COBOL batch system on the mainframe", "Nobody in the pool lists COBOL or Mainframe."),
        ("Plan the office party", NOTHING_RECOGNISED),
    ],
)
def test_nobody_fits_says_so(page: Page, app_url: str, screenshot: Screenshot, description: str, message: str) -> None:
    page.goto(app_url + "/")
    with page.expect_response(f"{app_url}/api/recommend") as answered:
        search(page, description)
    assert answered.value.json()["recommendations"] == []
    empty = page.locator("#empty")
    expect(empty.locator("strong")).to_have_text("Nobody in your pool fits this project")
    expect(empty.locator("p")).to_have_text(message)
    expect(page.locator("#cards > li")).to_have_count(0)
    expect(page.locator("#error")).to_be_hidden()
    screenshot(page, "desktop-nothing-recognised" if message == NOTHING_RECOGNISED else "desktop-no-match")


def test_an_api_failure_shows_its_message(
    page: Page, serve: Serve, model_settings: ModelSettings, fake_model: FakeModel, screenshot: Screenshot
) -> None:
    fake_model.script(Reply.error(503))
    url = serve(create_app(model_settings(BESTDEV_FALLBACK="none", BESTDEV_MODEL_MAX_RETRIES=0)))
    page.goto(url + "/")
    with page.expect_response(f"{url}/api/recommend") as answered:
        search(page, REACT_NATIVE)
    assert answered.value.status == 503
    envelope = answered.value.json()["error"]
    alert = page.get_by_role("alert").and_(page.locator("#error"))
    expect(alert).to_contain_text("BestDev could not answer")
    expect(alert.locator("p")).to_have_text(envelope["message"])
    assert envelope["message"].startswith("The recommendation model failed")
    expect(page.locator("#cards > li")).to_have_count(0)
    expect(page.get_by_role("button", name="Find developers")).to_be_enabled()
    screenshot(page, "desktop-api-error")


def test_an_unreachable_api_is_explained(page: Page, serve: Serve) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    site = serve(static_site())
    page.route(  # the deployed config.js names an API that does not answer
        f"{site}/static/config.js",
        lambda route: route.fulfill(
            content_type="text/javascript", body=f'window.BESTDEV_CONFIG = {{ apiBase: "{closed}" }};'
        ),
    )
    page.goto(f"{site}/")
    search(page, REACT_NATIVE)
    alert = page.get_by_role("alert").and_(page.locator("#error"))
    expect(alert).to_contain_text("Could not reach BestDev")
    expect(alert).to_contain_text(closed)


def test_the_model_answer_names_its_deployment(page: Page, model_app_url: str, fake_model: FakeModel) -> None:
    fake_model.script(Reply.answer(" Chen Wei, because they have experience with React Native.<END_OUTPUT>"))
    page.goto(model_app_url + "/")
    search(page, REACT_NATIVE)
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    expect(page.locator("#answered-by")).to_contain_text("Answered by the fine-tuned model (bestdev-ft)")
    expect(page.locator("#notice")).to_be_hidden()
    assert len(fake_model.calls) == 1


def test_the_fallback_is_noted(page: Page, model_app_url: str, fake_model: FakeModel, screenshot: Screenshot) -> None:
    fake_model.script(Reply.answer(" Mallory, because she said so."))
    page.goto(model_app_url + "/")
    search(page, REACT_NATIVE)
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    notice = page.locator("#notice")
    expect(notice).to_contain_text("The fine-tuned model could not answer this time")
    expect(notice).to_contain_text("the model named someone who is not in the pool")
    expect(page.locator("#answered-by")).to_contain_text("local recommender")
    screenshot(page, "desktop-fallback")


def test_busy_while_waiting(page: Page, serve: Serve, screenshot: Screenshot) -> None:
    gated = GatedRecommender(local_recommender())
    calls: list[str] = []
    url = serve(app_with(gated))
    page.on("request", lambda request: calls.append(request.url) if "/api/recommend" in request.url else None)
    page.goto(url + "/")
    search(page, REACT_NATIVE)

    button = page.locator("#submit")
    expect(button).to_be_disabled()  # by aria-disabled, so that it keeps focus (test_announcements)
    expect(button).to_have_attribute("aria-busy", "true")
    expect(button).to_contain_text("Finding developers")
    expect(page.locator("#cards")).to_have_attribute("aria-busy", "true")
    assert gated.waiting.wait(10), "the request never reached the API"
    page.get_by_label("Describe the project").press("Control+Enter")  # a second submit while busy is ignored
    screenshot(page, "desktop-busy")

    gated.gate.set()
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    expect(button).to_be_enabled()
    expect(button).to_have_attribute("aria-busy", "false")
    expect(page.locator("#cards")).to_have_attribute("aria-busy", "false")
    assert len(calls) == 1


def test_an_empty_description_is_not_sent(page: Page, app_url: str) -> None:
    calls: list[str] = []
    page.on("request", lambda request: calls.append(request.url) if "/api/recommend" in request.url else None)
    page.goto(app_url + "/")
    page.get_by_label("Describe the project").fill("   ")
    page.get_by_role("button", name="Find developers").click()
    box = page.get_by_label("Describe the project")
    expect(page.locator("#description-error")).to_contain_text("Describe the project first")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_be_focused()
    assert calls == []


def test_examples_fill_the_description(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    page.get_by_role("button", name="Mobile app with Firebase").click()
    box = page.get_by_label("Describe the project")
    expect(box).to_have_value(re.compile("React Native"))
    expect(box).to_be_focused()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")


def test_a_start_day_shows_who_is_free(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    page.get_by_label("Starting").fill("2027-01-15")
    search(page, REACT_NATIVE)
    first = page.locator("#cards .card").first
    expect(first.locator("h3")).to_have_text("Chen Wei")
    expect(first.locator(".availability")).to_have_text("Not free by the start: free from 1 February 2027")
    expect(page.locator("#answered-by")).to_contain_text("Pool version ")
    page.get_by_label("Describe the project").fill("Kubernetes and Helm")
    page.get_by_label("Starting").fill("")
    page.get_by_role("button", name="Find developers").click()
    expect(page.locator("#cards .card").first.locator(".availability")).to_have_text("booked 80%")
