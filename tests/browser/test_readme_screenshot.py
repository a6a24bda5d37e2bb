"""The README's picture of the page (docs/images/page.png), taken here with the browser tests' Chromium.

Every run takes it afresh into test-artifacts/browser/readme-page.png; `BESTDEV_UPDATE_SCREENSHOT=1 pytest
tests/browser/test_readme_screenshot.py` also writes it to docs/images/page.png (commit that after a change to the
page). The committed picture must stay small, and the picture of the page as it is must show an answer."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ARTIFACTS, WAIT_MS

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "images" / "page.png"
VIEWPORT = {"width": 1100, "height": 1000}
MAX_BYTES = 150_000
UPDATE = os.environ.get("BESTDEV_UPDATE_SCREENSHOT") == "1"  # read at import: the tests' fixtures clear BESTDEV_*
DESCRIPTION = "A React Native app with Firebase for a coffee chain's loyalty programme, must have TypeScript"


def small_png(png: bytes) -> bytes:
    """The screenshot in 256 colours (the page is flat colours and text): a fraction of the size, alike to the eye."""
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_the_readme_screenshot_shows_an_answer_and_stays_small(browser: Browser, app_url: str) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        page.goto(app_url + "/")
        page.get_by_label("Describe the project").fill(DESCRIPTION)
        page.get_by_role("button", name="Find developers").click()
        expect(page.locator("#cards > li")).to_have_count(3)
        expect(page.locator("#pool-info")).to_contain_text("developers")
        picture = small_png(page.screenshot(full_page=False))
    finally:
        context.close()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    taken = ARTIFACTS / "readme-page.png"
    taken.write_bytes(picture)
    assert len(picture) < MAX_BYTES
    if UPDATE:
        COMMITTED.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(taken, COMMITTED)

    assert COMMITTED.is_file(), "docs/images/page.png is missing: run this test with BESTDEV_UPDATE_SCREENSHOT=1"
    assert COMMITTED.stat().st_size < MAX_BYTES
    with Image.open(COMMITTED) as committed:
        assert committed.format == "PNG"
        assert committed.size == (VIEWPORT["width"], VIEWPORT["height"])
