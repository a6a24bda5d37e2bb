"""The focus ring reaches 3:1 against every background it sits on (WCAG 1.4.11), for every tab stop, in the page."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.colour import FOCUS_RING
from tests.browser.conftest import ARTIFACTS
from tests.browser.live import GatedRecommender, Serve, app_with, local_recommender

MAX_TAB_STOPS = 60  # bounds the walk; the page has a handful


# Focus a throwaway element at the start of the body, so that the next Tab goes to the page's first tab stop.
FROM_THE_TOP = """
() => {
  const start = document.createElement("span");
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus();
  start.addEventListener("blur", () => start.remove(), { once: true });
  window.scrollTo(0, 0);
}
"""


def from_the_top(page: Page) -> None:
    page.evaluate(FROM_THE_TOP)


def tab_through(page: Page) -> list[dict[str, Any]]:
    """Tab from the top of the page to its end, measuring the ring of each element that takes focus."""
    from_the_top(page)
    stops: list[dict[str, Any]] = []
    seen: set[str] = set()
    last = ""
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        key = page.evaluate(
            "(() => { const a = document.activeElement; if (!a || a === document.body) return '';"
            " return [...document.querySelectorAll('*')].indexOf(a) + ':' + a.outerHTML.slice(0, 80); })()"
        )
        if key and key == last:  # a date input takes a Tab per part (day, month, year)
            continue
        last = key
        if not key or key in seen:
            break
        seen.add(key)
        stops.append(page.evaluate(FOCUS_RING))
    return stops


def check(stops: list[dict[str, Any]]) -> list[str]:
    failures = []
    for stop in stops:
        where = f"{stop['name']} ({stop['text']!r})"
        if not stop["drawn"] or stop["width"] < 2:
            failures.append(f"{where}: no outline of 2px or more")
        if len(stop["backgrounds"]) < 2:
            failures.append(f"{where}: fewer than 2 sides of the ring could be sampled")
        failures += [
            f"{where} on {bg['surface']}: {bg['ratio']:.2f}:1" for bg in stop["backgrounds"] if bg["ratio"] < 3
        ]
    return failures


def save_rings(page: Page, stops: list[dict[str, Any]], state: str, shown: frozenset[str] = frozenset()) -> None:
    """Screenshots of each ring on its background (focus-ring-<state>-<n>-<element>-on-<surface>.png), but for the
    stops whose ring was `shown` already."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    from_the_top(page)
    for number, stop in enumerate(stops, start=1):
        page.keyboard.press("Tab")
        if f"{stop['name']} {stop['text']}" in shown:
            continue
        ring = page.evaluate(FOCUS_RING)  # measured again: tabbing may have scrolled
        margin = ring["reach"] + 16
        box = ring["box"]
        clip = {
            "x": max(0, box["x"] - margin),
            "y": max(0, box["y"] - margin),
            "width": box["width"] + 2 * margin,
            "height": box["height"] + 2 * margin,
        }
        surface = ring["backgrounds"][0]["surface"] if ring["backgrounds"] else "unknown"
        name = f"focus-ring-{state}-{number:02d}-{stop['name']}-on-{surface}.png"
        page.screenshot(path=str(ARTIFACTS / name), clip=clip)


def test_the_focus_ring_shows_on_every_background(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    start = tab_through(page)
    names = [stop["name"] for stop in start]
    assert names[:2] == ["skip-link", "description"], names
    assert {"submit", "top-k", "example"} <= set(names)
    surfaces = {bg["surface"] for stop in start for bg in stop["backgrounds"]}
    assert {"masthead", "search", "page"} <= surfaces, surfaces  # the header, the form's panel, the page itself
    assert check(start) == []
    save_rings(page, start, "start")

    # With answers on the page (cards, and whatever controls they carry), every tab stop again.
    page.get_by_label("Describe the project").fill("A React Native app with Firebase")
    page.get_by_role("button", name="Find developers").click()
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    answered = tab_through(page)
    assert len(answered) >= len(start)
    assert check(answered) == []
    save_rings(page, answered, "results", frozenset(f"{stop['name']} {stop['text']}" for stop in start))


def test_the_ring_holds_while_busy(page: Page, serve: Serve) -> None:
    """While a request runs, the submit button keeps focus (aria-disabled, not disabled) and a readable ring."""
    gated = GatedRecommender(local_recommender())
    page.goto(serve(app_with(gated)) + "/")
    page.get_by_label("Describe the project").fill("A React Native app with Firebase")
    page.locator("#submit").focus()
    page.keyboard.press("Enter")
    assert gated.waiting.wait(10), "the request never reached the API"
    button = page.locator("#submit")
    expect(button).to_have_attribute("aria-disabled", "true")
    expect(button).to_be_focused()
    busy = page.evaluate(FOCUS_RING)
    assert busy["name"] == "submit"
    assert check([busy]) == []
    gated.gate.set()
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
