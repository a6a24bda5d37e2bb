"""Feedback on the page, in Chromium: "Good pick" / "Not right" on each card and "We chose someone else" below the
list, each saved once, by keyboard, against the real app and a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bestdev.api.errors import FEEDBACK_UNAVAILABLE
from bestdev.feedback.sqlite_store import SqliteStore
from bestdev.settings import Settings
from tests.browser.live import Screenshot, Serve, local_recommender
from tests.browser.test_announcements import assert_well_formed, live_regions

REACT_NATIVE = "A React Native app with Firebase"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "feedback.sqlite3")
    yield store
    store.close()


@pytest.fixture
def feedback_url(serve: Serve, store: SqliteStore) -> str:
    from bestdev.api.app import create_app

    return serve(create_app(Settings(), recommender=local_recommender(), feedback=store))


def search(page: Page, url: str, description: str = REACT_NATIVE) -> None:
    page.goto(url + "/")
    page.get_by_label("Describe the project").fill(description)
    page.get_by_role("button", name="Find developers").click()
    expect(page.locator("#cards > li").first).to_be_visible()


def test_good_pick_is_saved_once_and_said_so(
    page: Page, feedback_url: str, store: SqliteStore, screenshot: Screenshot
) -> None:
    search(page, feedback_url)
    first = page.get_by_role("group", name="Feedback on Chen Wei")
    good = first.get_by_role("button", name="Good pick")
    good.click()
    expect(first.locator(".feedback-status")).to_have_text("Saved: Chen Wei is a good pick. Thank you.")
    expect(good).to_have_attribute("aria-pressed", "true")
    expect(first.get_by_role("button", name="Not right")).to_have_attribute("aria-disabled", "true")
    good.click(force=True)  # clicks on a locked button (aria-disabled, still focusable) send nothing
    first.get_by_role("button", name="Not right").click(force=True)
    expect(first.locator(".feedback-status")).to_have_text("Saved: Chen Wei is a good pick. Thank you.")
    [decision] = list(store.decisions())
    assert (decision.developer, decision.verdict, decision.description) == ("Chen Wei", "good", REACT_NATIVE)
    screenshot(page, "feedback-good-pick")


def test_not_right_by_keyboard_keeps_focus(page: Page, feedback_url: str, store: SqliteStore) -> None:
    search(page, feedback_url)
    second = page.locator("#cards > li").nth(1)
    name = second.get_by_role("heading", level=3).inner_text()
    wrong = second.get_by_role("button", name="Not right")
    wrong.focus()
    page.keyboard.press("Enter")
    expect(second.locator(".feedback-status")).to_have_text(f"Saved: {name} is not right for this. Thank you.")
    expect(wrong).to_be_focused()
    assert [(d.developer, d.verdict) for d in store.decisions()] == [(name, "wrong")]


def test_we_chose_someone_else_from_the_pool(
    page: Page, feedback_url: str, store: SqliteStore, screenshot: Screenshot
) -> None:
    search(page, feedback_url)
    other = page.get_by_role("form", name="We chose someone else")
    picker = other.get_by_label("Who did you staff?")
    expect(picker.locator("option")).to_have_count(33)  # the placeholder and the 32 developers
    save = other.get_by_role("button", name="Save who we chose")
    save.click()
    expect(other.locator(".feedback-status")).to_have_text("Choose who you staffed first.")
    expect(picker).to_be_focused()
    picker.select_option("Mikko Heikkinen")
    save.focus()
    page.keyboard.press("Enter")
    expect(other.locator(".feedback-status")).to_have_text("Saved: you chose Mikko Heikkinen. Thank you.")
    expect(picker).to_have_attribute("aria-disabled", "true")
    expect(other.get_by_role("button", name="Saved")).to_be_focused()
    other.get_by_role("button", name="Saved").click(force=True)  # already saved: nothing more is sent
    assert [(d.developer, d.verdict) for d in store.decisions()] == [("Mikko Heikkinen", "chosen")]
    screenshot(page, "feedback-chose-someone-else")


def test_a_new_search_starts_fresh_and_nobody_fits_still_offers_the_picker(page: Page, feedback_url: str) -> None:
    search(page, feedback_url)
    page.get_by_role("group", name="Feedback on Chen Wei").get_by_role("button", name="Good pick").click()
    page.get_by_label("Describe the project").fill("A COBOL batch system")
    page.get_by_role("button", name="Find developers").click()
    expect(page.locator("#empty")).to_be_visible()
    expect(page.get_by_role("group", name="Feedback on Chen Wei")).to_have_count(0)
    expect(page.get_by_role("form", name="We chose someone else")).to_have_count(1)


def test_a_store_that_is_down_says_so_and_lets_the_person_retry(page: Page, serve: Serve, tmp_path: Path) -> None:
    from bestdev.api.app import create_app

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    broken = SqliteStore(blocker / "feedback.sqlite3")
    url = serve(create_app(Settings(), recommender=local_recommender(), feedback=broken))
    search(page, url)
    group = page.get_by_role("group", name="Feedback on Chen Wei")
    group.get_by_role("button", name="Good pick").click()
    expect(group.locator(".feedback-status")).to_have_text(FEEDBACK_UNAVAILABLE)
    expect(group.get_by_role("button", name="Good pick")).to_have_attribute("aria-disabled", "false")
    alert = page.get_by_role("alert").filter(has_text="Your feedback was not saved")
    expect(alert).to_contain_text(FEEDBACK_UNAVAILABLE)  # said aloud through the page's own alert


def test_feedback_adds_no_live_region_and_is_described_by_its_line(page: Page, feedback_url: str) -> None:
    """The page's conventions: the three live regions stay the only ones; a saved verdict is the pressed state of
    the focused button, and the line under it is its description."""
    search(page, feedback_url)
    group = page.get_by_role("group", name="Feedback on Chen Wei")
    good = group.get_by_role("button", name="Good pick")
    good.focus()
    page.keyboard.press("Space")
    expect(good).to_have_attribute("aria-pressed", "true")
    expect(good).to_be_focused()
    expect(good).to_have_accessible_description("Saved: Chen Wei is a good pick. Thank you.")
    assert_well_formed(live_regions(page))


def test_feedback_after_a_dropped_chip_is_on_what_was_asked(page: Page, feedback_url: str, store: SqliteStore) -> None:
    """A chip left out changes the description sent; the verdict goes back with that description (not a 409)."""
    search(page, feedback_url, "A React Native app with Firebase and Kafka")
    page.locator("#read-chips button.read", has_text="Kafka").click()
    expect(page.locator("#read-chips button.read-dropped")).to_have_count(1)
    group = page.get_by_role("group", name="Feedback on Chen Wei")
    group.get_by_role("button", name="Good pick").click()
    expect(group.locator(".feedback-status")).to_have_text("Saved: Chen Wei is a good pick. Thank you.")
    [decision] = list(store.decisions())
    assert decision.description == "A React Native app with Firebase and"


def test_a_team_answer_takes_the_feedback_controls_away(page: Page, feedback_url: str) -> None:
    search(page, feedback_url)
    expect(page.get_by_role("group", name="Feedback on Chen Wei")).to_be_visible()
    page.get_by_role("button", name="Staff a team").click()
    expect(page.locator("#members > li").first).to_be_visible()
    expect(page.locator(".feedback")).to_have_count(0)
    expect(page.locator("#chose-other")).to_have_count(0)  # verdicts are on recommendations, not on teams
