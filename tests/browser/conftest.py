"""Real-browser fixtures: Debian's chromium driven by Playwright, against the app served by uvicorn on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bestdev.api.app import create_app
from tests.browser.live import ModelSettings, Serve, app_with, local_recommender
from tests.fakes.server import serve_in_thread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 15_000


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start apps on free loopback ports; returns each one's base URL. All are stopped after the test."""
    with ExitStack() as running:
        yield lambda app: running.enter_context(serve_in_thread(app))


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    """The real app with the embedded local recommender, shared by a module's tests."""
    with serve_in_thread(app_with(local_recommender())) as url:
        yield url


@pytest.fixture
def model_app_url(serve: Serve, model_settings: ModelSettings) -> str:
    """The real app asking the fake model server (tests/fakes/) first; script its replies with `fake_model`."""
    return serve(create_app(model_settings()))


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for tests/browser. Package scope: Playwright's sync API keeps an asyncio loop marked as running
    while it is started, which would break the async tests elsewhere, so it stops when this package's tests end."""
    if not CHROMIUM.exists():
        message = (
            "!!! BROWSER TESTS SKIPPED: /usr/bin/chromium is missing and `make test` could not install it "
            "(apt-get install chromium). The web page was NOT tested in a real browser. !!!"
        )
        print(f"\n{message}", flush=True)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """Save a full-page screenshot under test-artifacts/browser/ (git-ignored) for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
