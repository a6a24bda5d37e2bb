"""Checks a fine-tuning JSONL file: the old OpenAI data preparation tool's checks, the template's contract, and
grounding against the pool (no name outside it, no skill it does not list for the named developer)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from bestdev import template
from bestdev.dataset import tokens
from bestdev.dataset.cost import TrainingCost, estimate
from bestdev.dataset.fine_tunable import DEFAULT_MODEL, DataFormat, FineTunable, fine_tunable
from bestdev.dataset.formats import format_of
from bestdev.dataset.listed import listed_skills
from bestdev.pool import Pool
from bestdev.recommend.local import LocalRecommender

Severity = Literal["error", "warning"]

SERVICE_MINIMUM = 10
RECOMMENDED_MINIMUM = 100
PROMPT_COMPLETION_KEYS = frozenset({"prompt", "completion"})
CHAT_KEYS = frozenset({"messages"})
MESSAGE_KEYS = frozenset({"role", "content", "name", "weight"})
ROLES = frozenset({"system", "user", "assistant"})

# Every check, in report order: (id, what passing means). Fixable ones are repaired by `--fix`.
CHECKS: dict[str, str] = {
    "blank-line": "no blank lines",
    "json": "every line is one JSON object",
    "format": "every line is in the file's format (prompt/completion or chat)",
    "keys": "required keys present, no unknown keys",
    "types": "texts are strings, messages a list of objects",
    "roles": "chat roles are system, user or assistant, with a user message and the assistant message last",
    "empty": "no empty prompt, completion or message",
    "separator": "every prompt ends with the separator, exactly once",
    "stop-in-prompt": "the stop token never appears in a prompt",
    "leading-space": "every completion starts with a space",
    "stop": "every completion ends with the stop token, exactly once",
    "system-message": "chat system messages are the one serving sends",
    "duplicate": "no example repeats another exactly",
    "duplicate-normalized": "no example repeats another after whitespace normalization",
    "conflicting-labels": "no prompt appears with two different completions",
    "token-limit": "no example is over the model's token limit",
    "trainable-format": "the file is in the format the base model trains on (chat, for every current model)",
    "min-examples": f"at least {SERVICE_MINIMUM} examples (the service's minimum), {RECOMMENDED_MINIMUM} recommended",
    "unparsable-completion": "every completion names a developer (or nobody) in the template's shape",
    "name-not-in-pool": "every developer named is in the pool",
    "skill-not-listed": "every skill named is one the pool lists for that developer",
    "no-match-contradicted": "'nobody fits' only where the embedded recommender finds nobody either",
}
FIXABLE = frozenset({"blank-line", "separator", "leading-space", "stop", "duplicate", "duplicate-normalized"})


@dataclass(frozen=True)
class Finding:
    check: str
    severity: Severity
    line: int | None
    message: str


@dataclass(frozen=True)
class ParsedLine:
    """A structurally valid example: its prompt texts (user messages) and completion texts (assistant messages)."""

    number: int
    value: dict[str, object]
    prompts: tuple[str, ...]
    completions: tuple[str, ...]
    system: tuple[str, ...] = ()
    messages: tuple[dict[str, object], ...] = ()

    @property
    def key(self) -> str:
        return json.dumps([self.prompts, self.completions], ensure_ascii=False)

    @property
    def normalized_prompt(self) -> str:
        return json.dumps([" ".join(text.split()) for text in self.prompts], ensure_ascii=False)

    @property
    def normalized_key(self) -> str:
        completions = [" ".join(text.split()) for text in self.completions]
        return json.dumps([self.normalized_prompt, completions], ensure_ascii=False)


@dataclass
class CheckReport:
    name: str
    data_format: DataFormat | None
    examples: list[ParsedLine]
    findings: list[Finding]
    model: FineTunable | None = None
    token_limit: int = 0
    token_counts: list[int] = field(default_factory=list)
    cost: TrainingCost | None = None
    pool: Pool | None = None

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "warning"]

    def failed(self, check: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.check == check]


def parse_line(number: int, raw: str, data_format: DataFormat | None = None) -> ParsedLine | list[Finding]:
    """The example on one line, or what is wrong with its structure."""
    if not raw.strip():
        return [Finding("blank-line", "error", number, "blank line")]
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        return [Finding("json", "error", number, f"not valid JSON ({error.msg})")]
    if not isinstance(value, dict):
        return [Finding("json", "error", number, f"a JSON {type(value).__name__}, not an object")]
    found = format_of(value)
    if found is None:
        return [Finding("keys", "error", number, f"neither a chat nor a prompt/completion example: {sorted(value)}")]
    if data_format is not None and found != data_format:
        return [Finding("format", "error", number, f"a {found} example in a {data_format} file")]
    if found == "chat":
        return _parse_chat(number, value)
    return _parse_prompt_completion(number, value)


def _key_findings(
    number: int, value: dict[str, object], allowed: frozenset[str], required: frozenset[str], where: str
) -> list[Finding]:
    missing = sorted(required - value.keys())
    unknown = sorted(value.keys() - allowed)
    findings = []
    if missing:
        findings.append(Finding("keys", "error", number, f"{where}missing {', '.join(missing)}"))
    if unknown:
        findings.append(Finding("keys", "error", number, f"{where}unknown key {', '.join(unknown)}"))
    return findings


def _parse_prompt_completion(number: int, value: dict[str, object]) -> ParsedLine | list[Finding]:
    findings = _key_findings(number, value, PROMPT_COMPLETION_KEYS, PROMPT_COMPLETION_KEYS, "")
    for key in ("prompt", "completion"):
        text = value.get(key)
        if key in value and not isinstance(text, str):
            findings.append(Finding("types", "error", number, f"{key} is a {type(text).__name__}, not a string"))
        elif isinstance(text, str) and not text.strip():
            findings.append(Finding("empty", "error", number, f"{key} is empty"))
    if findings:
        return findings
    return ParsedLine(number, value, (str(value["prompt"]),), (str(value["completion"]),))


def _parse_chat(number: int, value: dict[str, object]) -> ParsedLine | list[Finding]:
    findings = _key_findings(number, value, CHAT_KEYS, CHAT_KEYS, "")
    messages = value.get("messages")
    if not isinstance(messages, list) or not messages:
        return [*findings, Finding("types", "error", number, "messages is not a non-empty list")]
    roles: list[str] = []
    texts: list[str] = []
    for index, message in enumerate(messages):
        where = f"messages[{index}]: "
        if not isinstance(message, dict):
            findings.append(Finding("types", "error", number, f"{where}not an object"))
            continue
        findings += _key_findings(number, message, MESSAGE_KEYS, frozenset({"role", "content"}), where)
        role, content = message.get("role"), message.get("content")
        if role not in ROLES:
            findings.append(Finding("roles", "error", number, f"{where}unknown role {role!r}"))
        if "content" in message and not isinstance(content, str):
            findings.append(Finding("types", "error", number, f"{where}content is not a string"))
        elif isinstance(content, str) and not content.strip():
            findings.append(Finding("empty", "error", number, f"{where}content is empty"))
        roles.append(str(role))
        texts.append(content if isinstance(content, str) else "")
    if roles[-1:] != ["assistant"]:
        findings.append(Finding("roles", "error", number, "the last message is not the assistant's"))
    if "user" not in roles:
        findings.append(Finding("roles", "error", number, "no user message"))
    if findings:
        return findings
    by_role = {role: tuple(text for r, text in zip(roles, texts, strict=True) if r == role) for role in ROLES}
    valid = tuple(message for message in messages if isinstance(message, dict))
    return ParsedLine(number, value, by_role["user"], by_role["assistant"], by_role["system"], valid)


def contract_findings(line: ParsedLine) -> list[Finding]:
    """The template's contract: separator, stop token and leading space."""
    findings = []
    for prompt in line.prompts:
        if prompt.count(template.SEPARATOR) != 1 or not prompt.endswith(template.SEPARATOR):
            times = prompt.count(template.SEPARATOR)
            findings.append(
                Finding(
                    "separator", "error", line.number, f"prompt has the separator {times} times, not once at its end"
                )
            )
        if template.STOP in prompt:
            findings.append(Finding("stop-in-prompt", "error", line.number, "the prompt contains the stop token"))
    for completion in line.completions:
        if not completion.startswith(" "):
            findings.append(Finding("leading-space", "error", line.number, "completion does not start with a space"))
        if completion.count(template.STOP) != 1 or not completion.endswith(template.STOP):
            times = completion.count(template.STOP)
            findings.append(
                Finding(
                    "stop", "error", line.number, f"completion has the stop token {times} times, not once at its end"
                )
            )
    if any(system != template.SYSTEM_MESSAGE for system in line.system):
        findings.append(
            Finding("system-message", "warning", line.number, "system message differs from the one serving sends")
        )
    return findings


def duplicate_findings(lines: Sequence[ParsedLine]) -> list[Finding]:
    findings = []
    exact: dict[str, int] = {}
    normalized: dict[str, int] = {}
    prompts: dict[str, ParsedLine] = {}
    for line in lines:
        if line.key in exact:
            findings.append(Finding("duplicate", "error", line.number, f"repeats line {exact[line.key]}"))
        elif line.normalized_key in normalized:
            first = normalized[line.normalized_key]
            findings.append(
                Finding("duplicate-normalized", "error", line.number, f"repeats line {first} but for whitespace")
            )
        elif line.normalized_prompt in prompts:
            first_line = prompts[line.normalized_prompt]
            findings.append(
                Finding(
                    "conflicting-labels",
                    "error",
                    line.number,
                    f"the prompt of line {first_line.number} with a different completion",
                )
            )
        exact.setdefault(line.key, line.number)
        normalized.setdefault(line.normalized_key, line.number)
        prompts.setdefault(line.normalized_prompt, line)
    return findings


def count_findings(count: int) -> list[Finding]:
    if count < SERVICE_MINIMUM:
        return [
            Finding("min-examples", "error", None, f"{count} examples; fine-tuning needs at least {SERVICE_MINIMUM}")
        ]
    if count < RECOMMENDED_MINIMUM:
        message = f"{count} examples; at least {RECOMMENDED_MINIMUM} (better a few hundred) are recommended"
        return [Finding("min-examples", "warning", None, message)]
    return []


class Grounding:
    """Checks completions against the pool, with the embedded recommender's matcher and skill lists."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self.recommender = LocalRecommender(pool)

    def findings(self, line: ParsedLine) -> list[Finding]:
        completion = line.completions[-1]
        if completion.strip() == template.pool_context_completion().strip():
            return self._pool_context(line)
        answer = template.parse(completion)
        if answer is None:
            return [Finding("unparsable-completion", "error", line.number, "completion names nobody in a known shape")]
        if answer.name is None:
            found = self.recommender.rank(line.prompts[-1], 1)
            if found:
                message = f"says nobody fits, but the embedded recommender ranks {found[0].name} for it"
                return [Finding("no-match-contradicted", "warning", line.number, message)]
            return []
        if self.pool.find(answer.name) is None:
            return [Finding("name-not-in-pool", "error", line.number, f"{answer.name!r} is not in the pool")]
        listed = self._listed(answer.name)
        named = template.reason_skills(answer.reason, listed.values())
        if named is None:
            named = [mention.text for mention in self.recommender.matcher.find(answer.reason) if not mention.related]
        return self._unlisted(line.number, answer.name, named)

    def _listed(self, name: str) -> dict[str, str]:
        developer = self.pool.find(name)
        return listed_skills(self.recommender.matcher, developer) if developer else {}

    def _unlisted(self, number: int, name: str, named: Sequence[str]) -> list[Finding]:
        listed = self._listed(name)
        developer = self.pool.find(name)
        who = developer.name if developer else name
        return [
            Finding("skill-not-listed", "error", number, f"the pool does not list {skill!r} for {who}")
            for skill in named
            if self.recommender.matcher.canonical(skill) not in listed
        ]

    def _pool_context(self, line: ParsedLine) -> list[Finding]:
        """The pool context prompt lists '- Name: skill, skill'; each must be the pool's."""
        findings = []
        for entry in line.prompts[-1].splitlines():
            name, colon, skills = entry.removeprefix("- ").partition(": ")
            if not entry.startswith("- ") or not colon:
                continue
            if self.pool.find(name) is None:
                findings.append(Finding("name-not-in-pool", "error", line.number, f"{name!r} is not in the pool"))
            else:
                findings += self._unlisted(line.number, name, [skill for skill in skills.split(", ") if skill])
        return findings


def check(
    lines: Sequence[str],
    name: str,
    pool: Pool | None = None,
    model: str | None = None,
    token_limit: int | None = None,
    price_per_million: float | None = None,
    epochs: int | None = None,
) -> CheckReport:
    """Every check on the lines of one JSONL file (blank lines count as broken lines)."""
    findings: list[Finding] = []
    parsed: list[ParsedLine] = []
    data_format: DataFormat | None = None
    for number, raw in enumerate(lines, start=1):
        result = parse_line(number, raw, data_format)
        if isinstance(result, list):
            findings += result
            continue
        data_format = data_format or format_of(result.value)
        parsed.append(result)
    for line in parsed:
        findings += contract_findings(line)
    findings += duplicate_findings(parsed)
    findings += count_findings(len(parsed))
    report = CheckReport(name, data_format, parsed, findings, pool=pool)
    if data_format is not None:
        base = fine_tunable(model or DEFAULT_MODEL[data_format])
        report.model = base
        if base.data_format != data_format:
            message = f"{base.name} trains on {base.data_format} data, not {data_format}: build the chat files"
            findings.append(Finding("trainable-format", "warning", None, message))
        report.token_limit = token_limit or base.max_tokens_per_example
        report.token_counts = [_tokens(line, data_format, base.encoding) for line in parsed]
        for line, count in zip(parsed, report.token_counts, strict=True):
            if count > report.token_limit:
                message = f"{count:,} tokens, over the {report.token_limit:,} limit of {base.name}"
                findings.append(Finding("token-limit", "error", line.number, message))
        price = base.usd_per_million_training_tokens if price_per_million is None else price_per_million
        report.cost = estimate(report.token_counts, report.token_limit, price, epochs)
    if pool is not None:
        grounding = Grounding(pool)
        for line in parsed:
            findings += grounding.findings(line)
    findings.sort(key=lambda finding: (list(CHECKS).index(finding.check), finding.line or 0))
    return report


def _tokens(line: ParsedLine, data_format: DataFormat, encoding: str) -> int:
    if data_format == "chat":
        return tokens.count_chat(line.messages, encoding)
    return tokens.count_prompt_completion(line.prompts[0], line.completions[0], encoding)
