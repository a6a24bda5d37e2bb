"""Labels, focus order, announcements and colour contrast of the page, measured in the browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from bestdev.api.app import create_app
from tests.browser.live import ModelSettings, Serve
from tests.fakes.openai_model import FakeModel, Reply

# WCAG 2.x contrast of every visible text element against its effective background. Over a gradient the
# worst of its colour stops counts. Large text (24px, or 18.66px bold) needs 3:1, other text 4.5:1.
CONTRAST_FAILURES = """
() => {
  const parse = (text) => [...text.matchAll(/rgba?\\(([^)]+)\\)/g)].map((match) => {
    const parts = match[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  });
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const backgrounds = (node) => {
    for (let at = node; at; at = at.parentElement) {
      const style = getComputedStyle(at);
      if (style.backgroundImage.includes("gradient")) return parse(style.backgroundImage);
      const [colour] = parse(style.backgroundColor);
      if (colour && colour.a >= 0.99) return [colour];
    }
    return [{ r: 255, g: 255, b: 255, a: 1 }];
  };
  const failures = [];
  let checked = 0;
  for (const node of document.querySelectorAll("body *")) {
    const ownText = [...node.childNodes].some((child) => child.nodeType === 3 && child.textContent.trim());
    const rect = node.getBoundingClientRect();
    const unseen = rect.width < 2 || rect.height < 2 || node.closest("[hidden], .visually-hidden, .skip-link");
    if (!ownText || unseen) continue;
    const style = getComputedStyle(node);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const [colour] = parse(style.color);
    const worst = Math.min(...backgrounds(node).map((bg) => ratio(colour, bg)));
    checked += 1;
    if (worst < (large ? 3 : 4.5)) {
      failures.push(`${node.tagName}.${node.className} "${node.textContent.trim().slice(0, 40)}": ${worst.toFixed(2)}`);
    }
  }
  return { checked, failures };
}
"""


def test_controls_are_labelled(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    expect(page.get_by_label("Describe the project")).to_have_js_property("tagName", "TEXTAREA")
    expect(page.get_by_label("Show")).to_have_js_property("tagName", "SELECT")
    expect(page.get_by_role("button", name="Find developers")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("BestDev")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    description = page.get_by_label("Describe the project")
    expect(description).to_have_attribute("aria-describedby", "description-hint description-count description-error")


def test_results_are_announced(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    results = page.locator("#results")
    expect(results).to_have_attribute("aria-live", "polite")
    page.get_by_label("Describe the project").fill("A React Native app with Firebase")
    page.get_by_role("button", name="Find developers").click()
    expect(results.locator("#summary")).to_have_text(re.compile(r"^Best fit: Chen Wei, Mobile Developer\. \d+ more"))
    expect(results.get_by_role("list", name="Matching skills").first).to_be_visible()


def test_focus_follows_the_reading_order(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert seen == [
        "Skip to the project description",
        "description",
        "Mobile app with Firebase",
        "Azure serverless migration",
        "Machine learning",
        "top-k",
        "submit",
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
        report = page.evaluate(CONTRAST_FAILURES)
        assert report["checked"] > 10, state
        assert report["failures"] == [], f"{state}: {report['failures']}"
