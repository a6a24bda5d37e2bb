"""Forced colours (Windows High Contrast), emulated: every control keeps a visible outline when backgrounds go."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.colour import COLOUR, FOCUS_RING
from tests.browser.conftest import ARTIFACTS, DESKTOP, WAIT_MS
from tests.browser.live import GatedRecommender, Screenshot, Serve, app_with, local_recommender

# Every control drawn as a box (buttons, chips, form fields, anything with a button role), with its border as the
# browser paints it in forced colours, and the contrast of that border against what it sits on (a translucent border,
# as Chromium paints a hovered button's, counts as painted over that background).
OUTLINES = f"""
() => {{
  {COLOUR}
  const selector = 'button, [role="button"], .chip, select, textarea, input:not([type="hidden"])';
  return [...document.querySelectorAll(selector)].filter((node) => node.getClientRects().length).map((node) => {{
    const style = getComputedStyle(node);
    const sides = ["Top", "Right", "Bottom", "Left"].map((side) => ({{
      width: parseFloat(style[`border${{side}}Width`]),
      style: style[`border${{side}}Style`],
      colour: parse(style[`border${{side}}Color`])[0],
    }}));
    const behind = surface(node.parentElement).colours;
    const drawn = sides.every((side) => side.width >= 1 && side.style !== "none" && side.style !== "hidden");
    const ratios = drawn ? sides.flatMap((side) => behind.map((bg) => ratio(blend(side.colour, bg), bg))) : [0];
    return {{ name: label(node), text: node.textContent.trim().slice(0, 40), drawn, ratio: Math.min(...ratios) }};
  }});
}}
"""


# The fit meter's bar against its track: both painted by backgrounds, which forced colours would drop.
BAR_CONTRAST = f"""
(bar) => {{
  {COLOUR}
  const [colour] = parse(getComputedStyle(bar).backgroundColor);
  if (!colour || colour.a < 0.99) return 0;
  return Math.min(...surface(bar.parentElement).colours.map((bg) => ratio(colour, bg)));
}}
"""


@pytest.fixture
def forced(browser: Browser) -> Iterator[Page]:
    """A desktop page with `forced-colors: active` emulated."""
    context = browser.new_context(viewport=DESKTOP, forced_colors="active")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    yield page
    context.close()


def failures(outlines: list[dict[str, Any]]) -> list[str]:
    return [f"{o['name']} ({o['text']!r}): drawn={o['drawn']}, {o['ratio']:.2f}:1" for o in outlines if o["ratio"] < 3]


def test_every_control_keeps_its_outline(forced: Page, serve: Serve, screenshot: Screenshot) -> None:
    page = forced
    gated = GatedRecommender(local_recommender())
    page.goto(serve(app_with(gated)) + "/")
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    start = page.evaluate(OUTLINES)
    names = {outline["name"] for outline in start}
    assert {"submit", "example", "description", "top-k"} <= names, names
    assert failures(start) == []
    screenshot(page, "forced-colours-start")

    page.get_by_label("Describe the project").fill("A React Native app with Firebase")
    page.get_by_role("button", name="Find developers").click()
    assert gated.waiting.wait(10), "the request never reached the API"
    expect(page.locator("#submit")).to_have_attribute("aria-disabled", "true")
    assert failures(page.evaluate(OUTLINES)) == []  # the busy button too (drawn in GrayText)
    screenshot(page, "forced-colours-busy")

    gated.gate.set()
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    answered = page.evaluate(OUTLINES)
    assert "chip" in {outline["name"] for outline in answered}
    assert failures(answered) == []
    # The fit meter's bar, drawn by a background that forced colours would drop, is kept in a system colour.
    assert page.locator(".meter span").first.evaluate(BAR_CONTRAST) >= 3
    screenshot(page, "forced-colours-results")


def test_the_focus_ring_survives_forced_colours(forced: Page, app_url: str) -> None:
    """Forced colours drop the ring's white halo (a box-shadow); the outline stays, in a system colour, and shows."""
    page = forced
    page.goto(app_url + "/")
    page.locator("#team-size").focus()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#submit")).to_be_focused()
    ring = page.evaluate(FOCUS_RING)
    assert ring["drawn"]
    assert ring["width"] >= 2
    assert ring["backgrounds"]
    assert min(bg["ratio"] for bg in ring["backgrounds"]) >= 3, ring
    box = ring["box"]
    margin = ring["reach"] + 16
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / "forced-colours-focus.png"),
        clip={
            "x": box["x"] - margin,
            "y": box["y"] - margin,
            "width": box["width"] + 2 * margin,
            "height": box["height"] + 2 * margin,
        },
    )
