"""The real-text benchmark: cases that point into third-party texts, read from the real-text folder at run time.

The texts (SkillSpan job postings, Hacker News project posts, open-source project briefs) are not ours to copy into
the repository, so a case holds a reference instead: a SkillSpan posting by split, idx and line numbers, an HN
comment by omni_id and a character span, or a brief by id (and its length, to notice a changed file). Our own
Finnish, Swedish and German cases hold their description inline. A benchmark may split its sources (`splits`): the
sources rules were written on, and those held out; each case's category is then "<split>/<source>". Resolving the
references gives an ordinary `Benchmark` that `evaluate` runs like any other.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bestdev.evaluation import Benchmark, BenchmarkCase, EvaluationError, load_cases_file

REAL_TEXT_CASES = Path(str(files("bestdev") / "data" / "real_text_cases.json"))
BRIEFS_CASES = Path(str(files("bestdev") / "data" / "briefs_cases.json"))
FORMAT = "bestdev-real-text/1"
ENV_VAR = "BESTDEV_REAL_TEXT_DIR"
WHERE_FROM = "docs/benchmarks.md, Getting the texts"
SKILLSPAN_SPLITS = ("dev", "test")  # skillspan-train is kept for development; the benchmark never reads it
HN_FILE = "hn-projects-2024-08.csv"
BRIEFS_FILE = "briefs.jsonl"
_SHARED_TEXTS = Path("shared", "data", "real-text")

# The README's sentence repair: the scraper dropped paragraph breaks, so "done.It" becomes "done. It".
_GLUED_SENTENCE = re.compile(r"([a-z0-9)\]])([.!?:])(?=[A-Z])")
_NO_SPACE_BEFORE = frozenset({".", ",", ";", ":", "!", "?", ")"})


class RealTextError(EvaluationError):
    """A real-text case cannot be resolved; the message names the folder, file or case."""


def default_folder() -> Path:
    """`../shared/data/real-text` next to the repository that holds this package.

    A git worktree one level deeper (e.g. /work/wt/<branch>) finds the same folder: the nearest ancestor of the
    repository that holds `shared/data/real-text` wins; when none does, the answer is `../shared/data/real-text`,
    which the missing-folder message then names.
    """
    root = Path(__file__).resolve().parent.parent
    for ancestor in root.parents:
        candidate = ancestor / _SHARED_TEXTS
        if candidate.is_dir():
            return candidate
    return root.parent / _SHARED_TEXTS


class SkillSpanRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["skillspan"]
    split: Literal["dev", "test"]
    idx: int
    lines: list[Annotated[int, Field(ge=0)]] = Field(min_length=1)


class HnRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["hn"]
    omni_id: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> HnRef:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self


class BriefRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["brief"]
    id: str = Field(min_length=1)
    chars: int = Field(gt=0)

    @property
    def origin(self) -> str:
        """The source the brief comes from: the part of its id before the number ("cncf" for "cncf-14")."""
        return self.id.rsplit("-", 1)[0]


class RealTextCase(BaseModel):
    """A case whose text is either a reference into the real-text folder or, for our own writing, inline."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    category: str
    expected: list[str]
    source: Annotated[SkillSpanRef | HnRef | BriefRef, Field(discriminator="kind")] | None = None
    description: str | None = Field(None, min_length=1)
    language: str | None = None
    must: list[str] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _one_text(self) -> RealTextCase:
        if (self.source is None) == (self.description is None):
            raise ValueError("needs exactly one of `source` (a reference) or `description` (our own text)")
        return self


class RealTextBenchmark(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["bestdev-real-text/1"]
    description: str = ""
    pool: str | None = None
    texts: dict[str, str] = Field(default_factory=dict)
    splits: dict[str, list[str]] = Field(default_factory=dict)  # split -> the sources in it
    cases: list[RealTextCase] = Field(min_length=1)

    @model_validator(mode="after")
    def _split_categories(self) -> RealTextBenchmark:
        """With splits, every brief's category names its split and source, and every source is in one split."""
        if not self.splits:
            return self
        split_of = {source: split for split, sources in self.splits.items() for source in sources}
        if len(split_of) != sum(len(sources) for sources in self.splits.values()):
            raise ValueError("a source is in more than one split")
        for case in self.cases:
            if isinstance(case.source, BriefRef):
                split = split_of.get(case.source.origin)
                if split is None:
                    raise ValueError(f"case {case.id}: source {case.source.origin!r} is in no split")
                if case.category != f"{split}/{case.source.origin}":
                    raise ValueError(f"case {case.id}: category must be {split}/{case.source.origin!r}")
        return self


def is_real_text(path: Path) -> bool:
    """True when the benchmark file is in the real-text format (its cases point into the real-text folder)."""
    try:
        raw = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False  # load_benchmark reports the problem
    return isinstance(raw, dict) and raw.get("format") == FORMAT


def load_real_text(path: Path | None = None) -> RealTextBenchmark:
    return load_cases_file(RealTextBenchmark, path or REAL_TEXT_CASES, RealTextError)


def pool_path(path: Path, benchmark: RealTextBenchmark) -> Path | None:
    """The pool the benchmark names, next to the benchmark file."""
    return path.parent / benchmark.pool if benchmark.pool else None


def join_tokens(tokens: list[str]) -> str:
    """SkillSpan tokens back into text: spaces between tokens, none before closing punctuation or after '('."""
    text = ""
    for token in tokens:
        if not text:
            text = token
        elif token in _NO_SPACE_BEFORE or text.endswith("("):
            text += token
        else:
            text += " " + token
    return text


def repair_sentences(comment: str) -> str:
    """Put back the space the HN scrape lost between sentences (the real-text README's rule)."""
    return _GLUED_SENTENCE.sub(r"\1\2 ", comment)


class RealTexts:
    """The real-text folder, read on first use: SkillSpan postings by split and idx, HN comments by omni_id."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def check(self, needed: Sequence[str] | None = None) -> None:
        """Fail with one line naming the folder and the variable when the texts are not there."""
        needed = list(needed or [f"skillspan-{split}.jsonl" for split in SKILLSPAN_SPLITS] + [HN_FILE])
        missing = [name for name in needed if not (self.folder / name).is_file()]
        if missing:
            where = "does not exist" if not self.folder.is_dir() else f"lacks {', '.join(missing)}"
            raise RealTextError(
                f"real-text folder {self.folder} {where}: set {ENV_VAR} (or --real-text-dir) to the folder "
                f"holding {', '.join(needed)} (where they come from: {WHERE_FROM})"
            )

    def posting(self, split: str, idx: int) -> list[list[str]]:
        """Every line of a SkillSpan posting, as token lists, in file order."""
        lines = self._skillspan(split).get(idx)
        if lines is None:
            raise RealTextError(f"skillspan-{split}.jsonl in {self.folder} has no posting with idx {idx}")
        return lines

    def comment(self, omni_id: str) -> str:
        """An HN comment after the sentence repair."""
        comment = self._hn.get(omni_id)
        if comment is None:
            raise RealTextError(f"{HN_FILE} in {self.folder} has no row with omni_id {omni_id}")
        return comment

    def brief(self, brief_id: str) -> str:
        """A project brief's text, as the file holds it."""
        text = self._briefs.get(brief_id)
        if text is None:
            raise RealTextError(f"{BRIEFS_FILE} in {self.folder} has no brief with id {brief_id}")
        return text

    def text(self, source: SkillSpanRef | HnRef | BriefRef) -> str:
        if isinstance(source, BriefRef):
            text = self.brief(source.id)
            if len(text) != source.chars:
                raise RealTextError(
                    f"brief {source.id} is {len(text)} characters, not {source.chars}: the file changed"
                )
            return text
        if isinstance(source, SkillSpanRef):
            posting = self.posting(source.split, source.idx)
            outside = [line for line in source.lines if line >= len(posting)]
            if outside:
                raise RealTextError(
                    f"skillspan-{source.split} idx {source.idx} has {len(posting)} lines; {outside} are outside it"
                )
            return "\n".join(join_tokens(posting[line]) for line in source.lines)
        comment = self.comment(source.omni_id)
        if source.end > len(comment):
            raise RealTextError(
                f"HN {source.omni_id} is {len(comment)} characters; span {source.start}:{source.end} is outside it"
            )
        return comment[source.start : source.end].strip()

    def _skillspan(self, split: str) -> dict[int, list[list[str]]]:
        return self._skillspan_splits[split]

    @cached_property
    def _skillspan_splits(self) -> dict[str, dict[int, list[list[str]]]]:
        self.check()
        splits: dict[str, dict[int, list[list[str]]]] = {}
        for split in SKILLSPAN_SPLITS:
            postings: dict[int, list[list[str]]] = {}
            path = self.folder / f"skillspan-{split}.jsonl"
            with path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, 1):
                    try:
                        row = json.loads(line)
                        postings.setdefault(int(row["idx"]), []).append([str(token) for token in row["tokens"]])
                    except (ValueError, KeyError, TypeError) as error:
                        raise RealTextError(f"{path}: line {number} is not a SkillSpan row ({error})") from None
            splits[split] = postings
        return splits

    @cached_property
    def _briefs(self) -> dict[str, str]:
        self.check([BRIEFS_FILE])
        path = self.folder / BRIEFS_FILE
        briefs: dict[str, str] = {}
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    row = json.loads(line)
                    briefs[str(row["id"])] = str(row["text"])
                except (ValueError, KeyError, TypeError) as error:
                    raise RealTextError(f"{path}: line {number} is not a brief ({error})") from None
        return briefs

    @cached_property
    def _hn(self) -> dict[str, str]:
        self.check()
        path = self.folder / HN_FILE
        with path.open(encoding="utf-8", newline="") as rows:
            reader = csv.DictReader(rows)
            if not {"omni_id", "comment"} <= set(reader.fieldnames or ()):
                raise RealTextError(f"{path}: expected the columns omni_id and comment")
            return {row["omni_id"]: repair_sentences(row["comment"]) for row in reader}


def resolve(benchmark: RealTextBenchmark, texts: RealTexts) -> Benchmark:
    """The benchmark with every reference replaced by its text, ready for `evaluate`."""
    needed = [_file_of(case.source) for case in benchmark.cases if case.source is not None]
    if needed:
        texts.check(sorted(set(needed)))
    cases = []
    for case in benchmark.cases:
        try:
            description = case.description if case.source is None else texts.text(case.source)
        except RealTextError as error:
            raise RealTextError(f"case {case.id}: {error}") from None
        if not description or not description.strip():
            raise RealTextError(f"case {case.id}: its reference resolves to empty text")
        cases.append(BenchmarkCase(id=case.id, category=case.category, description=description, expected=case.expected))
    return Benchmark(description=benchmark.description, pool=benchmark.pool, cases=cases)


def _file_of(source: SkillSpanRef | HnRef | BriefRef) -> str:
    if isinstance(source, SkillSpanRef):
        return f"skillspan-{source.split}.jsonl"
    return HN_FILE if isinstance(source, HnRef) else BRIEFS_FILE


def load_resolved(path: Path | None = None, folder: Path | None = None) -> tuple[Benchmark, Path | None]:
    """Load a real-text benchmark and read its texts; also the pool it names (None if it names none)."""
    path = path or REAL_TEXT_CASES
    benchmark = load_real_text(path)
    return resolve(benchmark, RealTexts(folder or default_folder())), pool_path(path, benchmark)
