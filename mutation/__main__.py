"""python -m mutation [TARGET ...]: mutate each target, run its own tests per mutant, write the score table.

    python -m mutation                      every target (make mutation); about two hours on two shared cores
    python -m mutation template             one target, by name or module path
    python -m mutation template --list      its mutants, without running anything
    python -m mutation template --survivors only the mutants that survived the last run (and new ones)
    python -m mutation template --match _too_deep   only mutants whose key contains the text; nothing saved

Results go to test-artifacts/mutation/: <target>.json, <target>-survivors.md (each survivor as a diff, with a
line ready for equivalent.toml) and scores.md (the table for every target run so far). The exit status is 1 when
a target is below the goal, its tests fail unmutated, or its module is missing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from mutation.mutants import Mutant, changed_lines, mutants
from mutation.report import GOAL, equivalents, load, save, score, table, toml_line
from mutation.runner import BaselineFailed, Result, run_target, tree_copy
from mutation.targets import TARGETS, Target, find

OUT = Path("test-artifacts/mutation")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mutation", description=__doc__.split("\n", 1)[0])
    parser.add_argument("targets", nargs="*", help="target names or module paths (every target when none)")
    parser.add_argument("--list", action="store_true", help="print the mutants and exit")
    parser.add_argument("--survivors", action="store_true", help="re-run only the last run's survivors")
    parser.add_argument("--match", help="run only the mutants whose key contains this text; results are not saved")
    args = parser.parse_args(argv)
    root = Path.cwd()
    failed = interrupted = False
    for target in [find(name) for name in args.targets] or list(TARGETS):
        module = root / target.module
        if not module.exists():
            print(f"{target.name}: {target.module} does not exist here; not measured", file=sys.stderr)
            failed = True
            continue
        source = module.read_text(encoding="utf-8")
        found = [mutant for mutant in mutants(source) if target.covers(mutant.key)]
        if args.list:
            print("\n".join(f"{mutant.line:5}  {mutant.key}" for mutant in found))
            continue
        try:
            failed |= not _measure(target, root, source, found, args.survivors, args.match)
        except BaselineFailed as error:
            print(f"mutation: {error}", file=sys.stderr)
            failed = True
        except (KeyboardInterrupt, SystemExit):
            interrupted = True
            break
    if not args.list:
        OUT.mkdir(parents=True, exist_ok=True)
        scores = [loaded[0] for target in TARGETS if (loaded := load(OUT, target.name))]
        (OUT / "scores.md").write_text(table(scores), encoding="utf-8")
        print(f"\n{table(scores)}\n(written to {OUT / 'scores.md'})")
    return 130 if interrupted else 1 if failed else 0


def _measure(target: Target, root: Path, source: str, found: list[Mutant], survivors: bool, match: str | None) -> bool:
    """Run one target's mutants; False when it is below the goal."""
    previous = load(OUT, target.name) if survivors else None
    if survivors and previous is None:
        raise BaselineFailed(f"{target.name}: no previous run to take the survivors from")
    selected = found
    if previous is not None:
        seen = {result.key: result.status for result in previous[1]}
        selected = [mutant for mutant in found if seen.get(mutant.key, "survived") in ("survived", "error")]
    if match:
        selected = [mutant for mutant in selected if match in mutant.key]
    print(f"{target.name}: {len(selected)} of {len(found)} mutants of {target.module}, tests: {' '.join(target.tests)}")
    width = len(str(len(selected)))

    done: list[Result] = []

    def progress(index: int, result: Result) -> None:
        done.append(result)
        print(f"[{index:{width}}/{len(selected)}] {result.status:8} {result.seconds:6.1f}s  {result.key}", flush=True)

    commit = _commit(target)  # what is measured: the tree as it is now, copied
    run_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    try:
        with tree_copy(root) as copy:
            results = run_target(target, copy, selected, progress)
    except (KeyboardInterrupt, SystemExit):
        if done and not match and previous is None:  # what was measured is kept, and labelled as such
            note = f"interrupted after {len(done)} of {len(found)} mutants"
            save(OUT, score(target.name, target.module, done, run_at, commit, note)[0], done)
            print(f"\n{target.name}: {note}; the results so far are in {OUT / (target.name + '.json')}")
        raise
    if match:
        return all(result.status != "survived" for result in results)
    note = ""
    if previous is not None:
        merged = {result.key: result for result in previous[1]} | {result.key: result for result in results}
        results = [merged[mutant.key] for mutant in found if mutant.key in merged]
        note = "survivors re-run"
    counted, warnings = score(target.name, target.module, results, run_at, commit, note)
    save(OUT, counted, results)
    _write_survivors(target, source, found, results)
    for warning in warnings:
        print(f"{target.name}: {warning}", file=sys.stderr)
    print(f"{target.name}: {counted.score:.1%} of {counted.mutants - counted.equivalent} non-equivalent killed")
    return counted.score >= GOAL and not warnings


def _write_survivors(target: Target, source: str, found: list[Mutant], results: list[Result]) -> None:
    listed = equivalents(target.name)
    surviving = {result.key for result in results if result.status == "survived" and result.key not in listed}
    parts = [f"# Surviving mutants of {target.module}\n"]
    for mutant in found:
        if mutant.key in surviving:
            diff = "\n".join(changed_lines(source, mutant))
            parts.append(
                f"## line {mutant.line}: {mutant.key}\n\n```diff\n{diff}\n```\n\n    {toml_line(mutant.key)}\n"
            )
    (OUT / f"{target.name}-survivors.md").write_text("\n".join(parts), encoding="utf-8")
    if surviving:
        print(f"{target.name}: {len(surviving)} survivors, as diffs in {OUT / f'{target.name}-survivors.md'}")


def _commit(target: Target) -> str:
    """The commit measured, marked +changes when the module or its tests differ from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", target.module, *target.tests],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


if __name__ == "__main__":
    sys.exit(main())
