"""The page hosted on one origin, calling the API on another: a real browser enforcing CORS."""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from tests.browser.live import Serve, app_with, local_recommender

REACT_NATIVE = "A React Native app with Firebase"


def search(page: Page) -> None:
    page.get_by_label("Describe the project").fill(REACT_NATIVE)
    page.get_by_role("button", name="Find developers").click()


def test_api_base_from_the_query_with_cors(page: Page, serve: Serve) -> None:
    site = serve(app_with(local_recommender()))  # stands in for Static Web Apps: it only serves the page here
    api = serve(app_with(local_recommender(), cors_origins=f"https://elsewhere.example, {site}"))
    page.goto(f"{site}/?api={api}/&code=secret-function-key")
    with page.expect_request(f"{api}/api/recommend") as sent:
        search(page)
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    assert sent.value.headers["x-functions-key"] == "secret-function-key"
    expect(page.get_by_role("link", name="API documentation")).to_have_attribute("href", f"{api}/api/docs")


def test_api_base_from_config_js(page: Page, serve: Serve) -> None:
    site = serve(app_with(local_recommender()))
    api = serve(app_with(local_recommender(), cors_origins=site))

    def deployed_config(route: Route) -> None:  # what a deployer writes into static/config.js
        route.fulfill(content_type="text/javascript", body=f'window.BESTDEV_CONFIG = {{ apiBase: "{api}" }};')

    page.route(f"{site}/static/config.js", deployed_config)
    page.goto(f"{site}/")
    with page.expect_request(f"{api}/api/recommend"):
        search(page)
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")


def test_an_origin_the_api_does_not_allow_is_blocked(page: Page, serve: Serve) -> None:
    site = serve(app_with(local_recommender()))
    api = serve(app_with(local_recommender(), cors_origins="https://elsewhere.example"))
    page.goto(f"{site}/?api={api}")
    search(page)
    alert = page.get_by_role("alert").and_(page.locator("#error"))
    expect(alert).to_contain_text("Could not reach BestDev")
    expect(alert).to_contain_text(api)
