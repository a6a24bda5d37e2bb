"""The readable report of `dataset check`: what failed, where, what passed, tokens and the estimated cost."""

from __future__ import annotations

from statistics import mean

from bestdev.dataset.check import CHECKS, FIXABLE, CheckReport, Finding
from bestdev.dataset.fix import FixResult

SHOWN_LINES = 8
SHOWN_MESSAGES = 3


def render(report: CheckReport) -> str:
    kind = report.data_format or "unknown format"
    out = [f"{report.name}: {len(report.examples)} examples, {kind}"]
    if report.pool is not None:
        out[0] += f", checked against the pool of {report.pool.company} ({len(report.pool.developers)} developers)"
    else:
        out.append("  (no pool given: names and skills in completions are not checked)")
    for severity, title in (("error", "Errors"), ("warning", "Warnings")):
        failing = [check for check in CHECKS if any(f.severity == severity for f in report.failed(check))]
        if failing:
            out.append(f"{title}:")
            out += [_group(check, [f for f in report.failed(check) if f.severity == severity]) for check in failing]
    passed = [check for check in CHECKS if not report.failed(check) and _ran(report, check)]
    out.append(f"Passed: {', '.join(passed)}")
    out += _tokens(report)
    verdict = "FAILED" if report.errors else "OK"
    out.append(
        f"Result: {verdict} with {_plural(len(report.errors), 'error')}, {_plural(len(report.warnings), 'warning')}"
    )
    return "\n".join(out)


def render_fix(result: FixResult, path: str) -> str:
    repairs = ", ".join(f"{check} {count}" for check, count in sorted(result.repairs.items()) if count) or "none"
    dropped = ", ".join(f"{check} {count}" for check, count in sorted(result.dropped.items()) if count) or "none"
    return f"Wrote {path}: {len(result.lines)} lines; repaired: {repairs}; dropped: {dropped}"


def _ran(report: CheckReport, check: str) -> bool:
    grounding = check in {"unparsable-completion", "name-not-in-pool", "skill-not-listed", "no-match-contradicted"}
    chat_only = check in {"roles", "system-message"}
    return (report.pool is not None or not grounding) and (report.data_format == "chat" or not chat_only)


def _group(check: str, findings: list[Finding]) -> str:
    lines = [f.line for f in findings if f.line is not None]
    where = ""
    if lines:
        shown = ", ".join(str(line) for line in lines[:SHOWN_LINES]) + (", ..." if len(lines) > SHOWN_LINES else "")
        where = f" on {_plural(len(lines), 'line')} ({shown})"
    fix = " [--fix repairs]" if check in FIXABLE else ""
    head = f"  {check}{where}: {CHECKS[check]}{fix}"
    details = [f"      {f'line {f.line}: ' if f.line else ''}{f.message}" for f in findings[:SHOWN_MESSAGES]]
    return "\n".join([head, *details])


def _tokens(report: CheckReport) -> list[str]:
    if not report.token_counts or report.model is None or report.cost is None:
        return []
    counts, cost = report.token_counts, report.cost
    return [
        f"Tokens ({report.model.encoding}): {cost.total_tokens:,} in total; per example "
        f"min {min(counts):,}, mean {mean(counts):,.0f}, max {max(counts):,} (limit {report.token_limit:,})",
        f"Estimated training cost: {cost.billed_tokens_per_epoch:,} billed tokens x {cost.epochs} epochs = "
        f"{cost.billed_tokens:,} tokens x USD {cost.usd_per_million:.2f}/1M = USD {cost.usd:.2f} "
        f"({report.model.name}; set --model, --epochs, --price-per-million for yours)",
    ]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
