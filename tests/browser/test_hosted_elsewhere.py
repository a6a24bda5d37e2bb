"""The page hosted on one origin, calling the API on another: a real browser enforcing CORS. Where the API is comes
from the deployed config.js only, never from the page's URL."""

from __future__ import annotations

from playwright.sync_api import Page, Request, Route, expect

from tests.browser.live import Serve, app_with, local_recommender, static_site

REACT_NATIVE = "A React Native app with Firebase"


def search(page: Page) -> None:
    page.get_by_label("Describe the project").fill(REACT_NATIVE)
    page.get_by_role("button", name="Find developers").click()


def deploy_config(page: Page, site: str, api: str) -> None:
    def deployed_config(route: Route) -> None:  # what a deployer writes into static/config.js
        route.fulfill(content_type="text/javascript", body=f'window.BESTDEV_CONFIG = {{ apiBase: "{api}" }};')

    page.route(f"{site}/static/config.js", deployed_config)


def test_api_base_from_config_js(page: Page, serve: Serve) -> None:
    site = serve(static_site())
    api = serve(app_with(local_recommender(), cors_origins=site))
    deploy_config(page, site, api)
    page.goto(f"{site}/")
    with page.expect_request(f"{api}/api/recommend"):
        search(page)
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    expect(page.get_by_role("link", name="API documentation")).to_have_attribute("href", f"{api}/api/docs")


def test_no_url_parameter_changes_where_descriptions_go(page: Page, serve: Serve) -> None:
    app = serve(app_with(local_recommender()))
    elsewhere = serve(app_with(local_recommender(), cors_origins=app))  # would answer, were it asked
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request))
    page.goto(f"{app}/?api={elsewhere}/&apiBase={elsewhere}&code=secret-function-key#api={elsewhere}")
    search(page)
    expect(page.locator("#cards h3").first).to_have_text("Chen Wei")
    posts = [request for request in sent if request.method == "POST"]
    assert [request.url for request in posts] == [f"{app}/api/recommend"]
    assert not any(request.url.startswith(elsewhere) for request in sent)
    assert "x-functions-key" not in posts[0].headers


def test_an_origin_the_api_does_not_allow_is_blocked(page: Page, serve: Serve) -> None:
    site = serve(static_site())
    api = serve(app_with(local_recommender(), cors_origins="https://elsewhere.example"))
    deploy_config(page, site, api)
    page.goto(f"{site}/")
    search(page)
    alert = page.get_by_role("alert").and_(page.locator("#error"))
    expect(alert).to_contain_text("Could not reach BestDev")
    expect(alert).to_contain_text(api)
