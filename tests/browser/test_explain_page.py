"""What was read, who lacks what, who comes closest and a team, on the page in headless Chromium."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from bestdev.pool import load_pool
from tests.browser.live import Screenshot
from tests.browser.test_focus_ring import check, tab_through
from tests.fakes.openai_model import FakeModel, Reply

JAVA = "Java, Spring Boot, Kafka and a Postgres database. Docker is a must; Terraform would be nice to have."
FOUR_PEOPLE = "React Native app, Go gRPC backend on Kubernetes, Terraform, Power BI reports, and a Svelte admin"


def search(page: Page, description: str) -> None:
    page.get_by_label("Describe the project").fill(description)
    page.get_by_role("button", name="Find developers").click()


def chips(page: Page) -> list[str]:
    return page.locator("#read-chips button.read .read-name").all_inner_texts()


def test_chips_show_what_was_read_with_must_haves_marked(page: Page, app_url: str, screenshot: Screenshot) -> None:
    page.goto(app_url + "/")
    expect(page.locator("#understood")).to_be_hidden()
    search(page, JAVA)
    expect(page.locator("#cards > li").first).to_be_visible()
    expect(page.get_by_role("heading", name="Read from your description")).to_be_visible()
    assert chips(page) == ["Java", "Spring Boot", "Kafka", "PostgreSQL", "Docker", "Terraform"]
    must = page.locator("#read-chips button.read-must")
    expect(must).to_have_count(1)
    expect(must.locator(".read-name")).to_have_text("Docker")
    expect(must.locator(".read-note")).to_have_text("must-have")  # marked in words, not by colour alone
    expect(page.get_by_role("button", name=re.compile(r"^Docker, must-have: leave it out"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Terraform, nice to have: leave it out"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^PostgreSQL \(you wrote “Postgres”\)"))).to_be_visible()
    screenshot(page, "desktop-explained")


def test_clicking_a_chip_drops_it_and_asks_again(page: Page, app_url: str, screenshot: Screenshot) -> None:
    page.goto(app_url + "/")
    search(page, JAVA)
    expect(page.locator("#cards > li").first).to_be_visible()
    with page.expect_request(f"{app_url}/api/recommend") as asked:
        page.locator("#read-chips button.read", has_text="Docker").click()
    sent = json.loads(asked.value.post_data or "{}")
    assert "Docker" not in sent["description"]
    assert "Kafka" in sent["description"]
    dropped = page.locator("#read-chips button.read-dropped")
    expect(dropped).to_have_count(1)
    expect(dropped.locator(".read-name")).to_have_text("Docker")
    expect(dropped).to_be_focused()  # the chip that asked keeps the focus through the new answer
    expect(page.get_by_label("Describe the project")).to_have_value(JAVA)  # the description itself is untouched
    first = page.locator("#cards > li").first
    expect(first.locator("h3")).to_have_text("Lucas Martin")  # without the must-have, the Java developer leads
    expect(first.locator(".lack")).to_have_text(["PostgreSQL", "Terraform"])
    screenshot(page, "desktop-chip-dropped")

    with page.expect_request(f"{app_url}/api/recommend") as asked_again:
        page.keyboard.press("Enter")  # the focused chip, pressed again, brings Docker back
    assert json.loads(asked_again.value.post_data or "{}")["description"] == JAVA
    expect(page.locator("#read-chips button.read-dropped")).to_have_count(0)
    assert "Docker" in chips(page)

    page.get_by_label("Describe the project").fill("Kafka streams")  # a new description forgets what was dropped
    page.locator("#read-chips button.read", has_text="Kafka").first.click()
    expect(page.locator("#read-chips button.read-dropped")).to_have_count(1)
    page.get_by_label("Describe the project").fill("Kafka and Docker")
    with page.expect_request(f"{app_url}/api/recommend") as fresh:
        page.get_by_role("button", name="Find developers").click()
    assert json.loads(fresh.value.post_data or "{}")["description"] == "Kafka and Docker"


def test_cards_show_matched_and_missing_and_coverage_as_the_fit(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    with page.expect_response(f"{app_url}/api/recommend") as answered:
        search(page, "Java, Spring Boot, Kafka and a Postgres database")
    body = answered.value.json()
    cards = page.locator("#cards > li")
    expect(cards).to_have_count(3)
    for index, item in enumerate(body["recommendations"]):
        card = cards.nth(index)
        expect(card.locator(".chip")).to_have_text(item["matched_skills"])
        expect(card.locator(".lack")).to_have_text(item["missing"])
        expect(card.get_by_role("list", name="Missing")).to_have_count(1 if item["missing"] else 0)
        expect(card.locator(".fit-value")).to_have_text(f"{round(item['coverage'] * 100)}%")
    expect(cards.first.locator(".fit-value")).to_have_text("88%")  # PostgreSQL half held, through SQL
    # matched and missing look different: a solid filled pill against a dashed outline
    styles = page.evaluate(
        """() => ['.chip', '.lack'].map((s) => { const c = getComputedStyle(document.querySelector('#cards ' + s));
           return [c.borderTopStyle, c.backgroundColor, c.color]; })"""
    )
    assert styles[0] != styles[1]
    assert styles[1][0] == "dashed"


def test_nobody_fits_shows_what_is_missing_and_the_closest_as_not_a_fit(
    page: Page, app_url: str, screenshot: Screenshot
) -> None:
    page.goto(app_url + "/")
    search(page, "A Svelte frontend on Supabase")
    expect(page.locator("#empty p")).to_have_text("Nobody in the pool lists Svelte or Supabase.")
    expect(page.locator("#cards > li")).to_have_count(0)
    section = page.get_by_role("region", name="Closest, but not a fit")
    expect(section).to_be_visible()
    closest = section.locator("li.card")
    expect(closest).to_have_count(3)
    pool = {developer.name: developer for developer in load_pool().developers}
    for index in range(3):
        card = closest.nth(index)
        expect(card.locator(".badge-not-a-fit")).to_have_text("Not a fit")
        expect(card.locator(".fit-value")).to_have_count(0)  # no fit figure for someone who does not fit
        expect(card.locator(".lack")).to_have_text(["Svelte", "Supabase"])
        name = card.locator("h4").inner_text()
        listed = {skill.casefold() for skill in (*pool[name].skills, *pool[name].experience)}
        assert all(held.casefold() in listed for held in card.locator(".chip").all_inner_texts())
        expect(card.locator(".reason")).to_contain_text("Not a fit")
    screenshot(page, "desktop-closest")


def test_staff_a_team_shows_who_covers_what_and_what_nobody_covers(
    page: Page, app_url: str, screenshot: Screenshot
) -> None:
    page.goto(app_url + "/")
    page.get_by_label("Describe the project").fill(FOUR_PEOPLE)
    with page.expect_response(f"{app_url}/api/team") as answered:
        page.get_by_role("button", name="Staff a team").click()
    body = answered.value.json()
    team = page.get_by_role("region", name="Proposed team")
    expect(team).to_be_visible()
    members = team.locator("#members > li")
    expect(members).to_have_count(len(body["members"]))
    assert 1 <= len(body["members"]) <= 4
    for index, member in enumerate(body["members"]):
        expect(members.nth(index).locator("h4")).to_have_text(member["name"])
        expect(members.nth(index).locator(".chip")).to_have_text(member["covers"])
    covered = {text for member in body["members"] for text in member["covers"]}
    assert covered == {"React Native", "Go", "gRPC", "Kubernetes", "Terraform", "Power BI"}
    expect(page.get_by_role("list", name="Nobody in your pool covers").locator("li")).to_have_text(["Svelte"])
    expect(page.locator("#summary")).to_have_text(re.compile(r"^Team of 4: .+\. Nobody covers Svelte\.$"))
    expect(page.locator("#cards > li")).to_have_count(0)
    screenshot(page, "desktop-team")

    page.get_by_label("Team of up to").select_option("2")  # a smaller team says what it leaves out
    page.get_by_role("button", name="Staff a team").click()
    expect(members).to_have_count(2)
    expect(page.get_by_role("list", name="A larger team could also cover").locator("li")).to_have_count(2)

    with page.expect_request(f"{app_url}/api/team") as asked:  # chips ask again in the team view
        page.locator("#read-chips button.read", has_text="Svelte").click()
    assert "Svelte" not in json.loads(asked.value.post_data or "{}")["description"]
    expect(page.get_by_role("list", name="Nobody in your pool covers")).to_have_count(0)


def test_the_model_s_pick_leads_the_team(page: Page, model_app_url: str, fake_model: FakeModel) -> None:
    fake_model.script(Reply.answer(" Chen Wei, because they have experience with React Native."))
    page.goto(model_app_url + "/")
    page.get_by_label("Describe the project").fill(FOUR_PEOPLE)
    page.get_by_role("button", name="Staff a team").click()
    expect(page.locator("#members > li h4").first).to_have_text("Chen Wei")
    expect(page.locator("#answered-by")).to_contain_text("fine-tuned model")


def test_the_new_controls_keep_the_focus_ring(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    search(page, JAVA)
    expect(page.locator("#read-chips button.read").first).to_be_visible()
    stops = tab_through(page)
    names = [stop["text"] for stop in stops]
    assert any("Docker" in name for name in names), names
    assert "Staff a team" in names, names
    assert check(stops) == []


def test_phone_team_and_chips(phone_page: Page, app_url: str, screenshot: Screenshot) -> None:
    phone_page.goto(app_url + "/")
    phone_page.get_by_label("Describe the project").fill(FOUR_PEOPLE)
    phone_page.get_by_role("button", name="Staff a team").click()
    expect(phone_page.locator("#members > li").first).to_be_visible()
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(phone_page, "phone-team")


def test_what_was_not_recognised_is_said_with_a_suggestion(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    search(page, "Our stack: Gleam, Kafka and a Kubernets cluster")
    hint = page.locator("#unrecognised")
    expect(hint).to_have_text("Not recognised, so not weighed: Gleam, Kubernets (did you mean Kubernetes?).")
    search(page, "Java and Kafka")
    expect(hint).to_be_hidden()
