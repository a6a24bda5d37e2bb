"""How people ask for a developer: two plain questions, project sheets and free-text briefs, and the words
that fill them. Every description is wrapped by template.prompt(), exactly as serving wraps what a user types.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bestdev.template import join_skills

# Fields: {company} {project} {customer} ({customers} possessive) {stack} {kind} ({Kind} capitalised).
# A phrasing without {project} yields a reason that does not name the project.
PHRASINGS: tuple[str, ...] = (
    # Two plain questions, as a user may type them into the page.
    "Who is the most fitting candidate from {company} for project {project} at customer {customer} "
    "with technologies like {stack}?",
    "Which {company} candidate is best suited for a project called {project} at customer {customer}, "
    "using technologies like {stack}?",
    # Project sheets.
    "Project {project} at customer {customer} with technologies like {stack}.",
    "{project} for {customer}. Tech stack: {stack}.",
    # Free-text briefs.
    "{customer} wants {kind} built with {stack}.",
    "We are starting {project} with {customer}: {kind} using {stack}. Who should lead it?",
    "Looking for a developer who knows {stack} for {kind} at {customer}.",
    "Need someone for {customers} {project}, {kind} on {stack}.",
    "{Kind} for {customer}, built on {stack}, starting next month.",
)

# Briefs in Finnish and Swedish, as Nordic consultancies write them; {stack} is written in the language's own way
# (see write_stack).
FINNISH_PHRASINGS: tuple[str, ...] = (
    "Haemme osaajaa projektiin {project} asiakkaalle {customer}, toteutus {stack}.",
    "{customer} tarvitsee tekijän {project}-projektiin, joka rakennetaan {stack}.",
)
SWEDISH_PHRASINGS: tuple[str, ...] = (
    "Vi söker en utvecklare till {project} hos {customer}, byggt med {stack}.",
    "{customer} behöver hjälp med {project} i {stack}.",
)
# How a stack is written: as listed; in lower case ("react and node"); joined ("Vue/Express/Mongo"); inside a
# Finnish or a Swedish brief. Most are written as listed, so the original phrasings stay the common case.
STYLES: tuple[str, ...] = ("listed",) * 6 + ("lower case", "joined", "finnish", "swedish")

# fmt: off
PROJECT_DOMAINS = (
    "Claims", "Fleet", "Patient", "Loyalty", "Inventory", "Energy", "Payroll", "Booking", "Harbour",
    "Warehouse", "Ticketing", "Onboarding", "Subscription", "Maintenance", "Donor", "Library", "Recipe",
    "Citizen", "Freight", "Tenant", "Insurance", "Field Service", "Dealer", "Student", "Supplier",
)
PROJECT_SYSTEMS = (
    "Platform", "Portal", "Tracker", "Assistant", "Dashboard", "Hub", "Engine", "Marketplace", "Workbench",
    "Console", "Planner", "Gateway", "Registry", "Companion", "Insights",
)
PROJECT_SUFFIXES = ("", "", "", "Modernisation", "Migration", "Rebuild", "Pilot", "Renewal", "Phase 2")
CUSTOMER_PREFIXES = (
    "Lähi", "Nordic", "Aurora", "Baltic", "Kesä", "Polar", "Fjord", "Sisu", "Metsä", "Harbor", "Lumi",
    "Saimaa", "Birch", "Boreal", "Kivi", "Tundra", "Vesi", "Aalto", "Glacier", "Meri",
)
CUSTOMER_SUFFIXES = (
    "Insurance", "Logistics", "Health", "Energy", "Bank", "Retail", "Foods", "Games", "Media", "Telecom",
    "Housing", "Motors", "Pharma", "Airlines", "Education", "Utilities", "Travel", "Forestry",
)
PROJECT_KINDS = (
    "a customer portal", "an internal tool", "a booking system", "a reporting solution",
    "a partner integration", "a self-service platform", "an event-driven backend", "a field service solution",
    "a data migration", "a proof of concept", "a replacement for a legacy system", "an order management system",
)
# fmt: on


@dataclass(frozen=True)
class Brief:
    """The project a description is written about."""

    project: str
    customer: str
    kind: str
    stack: tuple[str, ...]


def project_name(rng: random.Random, domains: tuple[str, ...], systems: tuple[str, ...]) -> str:
    return " ".join(part for part in (rng.choice(domains), rng.choice(systems), rng.choice(PROJECT_SUFFIXES)) if part)


def customer_name(rng: random.Random, prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> str:
    return f"{rng.choice(prefixes)} {rng.choice(suffixes)}"


def write_stack(style: str, stack: tuple[str, ...]) -> str:
    """The stack as a brief in `style` writes it."""
    if style == "lower case":
        return join_skills([item.lower() for item in stack])
    if style == "joined":
        return "/".join(stack)
    if style == "finnish":
        return join_skills([adessive(item) for item in stack], "ja")
    if style == "swedish":
        return join_skills(stack, "och")
    return join_skills(stack)


def adessive(name: str) -> str:
    """A technology's name with the Finnish ending for "with": Reactilla, Javalla, Node.js:lla, AWS:lla."""
    if not name[-1:].isalpha() or name.isupper() or "." in name:
        return f"{name}:lla"
    return f"{name}lla" if name[-1].lower() in "aeiouy" else f"{name}illa"


def phrasings_for(style: str) -> tuple[str, ...]:
    return {"finnish": FINNISH_PHRASINGS, "swedish": SWEDISH_PHRASINGS}.get(style, PHRASINGS)


def names_project(phrasing: str) -> bool:
    return "{project}" in phrasing


def describe(phrasing: str, company: str, brief: Brief, stack_text: str) -> str:
    return phrasing.format(
        company=company,
        project=brief.project,
        customer=brief.customer,
        customers=f"{brief.customer}'" if brief.customer.endswith("s") else f"{brief.customer}'s",
        stack=stack_text,
        kind=brief.kind,
        Kind=brief.kind[:1].upper() + brief.kind[1:],
    )
