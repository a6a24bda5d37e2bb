"""Every relative link in README.md and docs/ reaches a file in the repository, and every #anchor a heading of
the file it points into (as GitHub makes a heading's anchor). Web addresses are not fetched: tests stay offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
EXTERNAL = ("http://", "https://", "mailto:")


def outside_code_blocks(path: Path) -> str:
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def prose(path: Path) -> str:
    """The text outside code blocks and code spans, where links are links."""
    return CODE_SPAN.sub("", outside_code_blocks(path))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, markup and punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]|<[^>]+>", "", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    for heading in HEADING.findall(outside_code_blocks(path)):
        base = slug(heading)
        anchor, number = base, 0
        while anchor in found:  # a repeated heading gets -1, -2, ...
            number += 1
            anchor = f"{base}-{number}"
        found.add(anchor)
    return found


def links(path: Path) -> list[str]:
    return [target for target in LINK.findall(prose(path)) if not target.startswith(EXTERNAL)]


def broken(path: Path) -> list[str]:
    problems = []
    for target in links(path):
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            problems.append(f"{target}: no file {linked.relative_to(ROOT) if linked.is_relative_to(ROOT) else linked}")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            problems.append(f"{target}: no heading with the anchor #{anchor} in {linked.name}")
    return problems


@pytest.mark.parametrize("path", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_and_anchor_resolves(path: Path) -> None:
    assert broken(path) == []


def test_the_readme_links_every_reader_doc() -> None:
    readme = set(links(ROOT / "README.md"))
    for doc in DOCS[1:]:
        assert f"docs/{doc.name}" in readme, f"README.md does not link {doc.name}"


def test_the_check_sees_a_broken_file_an_anchor_and_ignores_code(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Title\n\n## Learning from feedback\n\n## Learning from feedback\n")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](other.md#learning-from-feedback) [repeat](other.md#learning-from-feedback-1) [self](#here)\n"
        "# Here\n[gone](missing.md) [bad](other.md#nowhere) [web](https://example.com/x.md)\n"
        "```\n[in code](nowhere.md)\n# Not a heading\n```\n`[span](nowhere.md)`\n",
        encoding="utf-8",
    )
    problems = broken(page)
    assert len(problems) == 2
    assert problems[0].startswith("missing.md: no file")
    assert problems[1] == "other.md#nowhere: no heading with the anchor #nowhere in other.md"


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Entra ID protection (optional)", "entra-id-protection-optional"),
        ("Retries are BestDev's, not the SDK's", "retries-are-bestdevs-not-the-sdks"),
        ("`max_tokens`", "max_tokens"),
        ("1. Install: make run", "1-install-make-run"),
    ],
)
def test_anchors_are_made_as_github_makes_them(heading: str, anchor: str) -> None:
    assert slug(heading) == anchor
