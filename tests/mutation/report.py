"""Kill rate of the last `mutmut run`, per module and overall, less the mutants reviewed as
equivalent (tests/mutation/equivalent.txt). Run by `make mutation`; exits 1 under the target.

    python tests/mutation/report.py [--diffs] [--target 90]

A mutant counts as killed when a test failed (or timed out) with it in place; "survived" and
"no tests" (no test calls the function) count against the rate. Every survivor must be
killed with a test or listed in equivalent.txt as ``<mutant name>  <one-line reason>``.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants"
EQUIVALENT = Path(__file__).resolve().parent / "equivalent.txt"

KILLED_CODES = {1, 3, 36, -24, 24, 152, 255, -9, -11}  # failed, pytest error, timeouts
SURVIVED_CODES = {0}
NO_TESTS_CODES = {5, 33}


def equivalents() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _sep, reason = line.strip().partition(" ")
            if not reason.strip():
                raise SystemExit(f"{EQUIVALENT.name}: {name} has no reason")
            found[name] = reason.strip()
    return found


def results() -> dict[str, dict[str, int | None]]:
    """Exit code of every mutant, by module (dotted name)."""
    by_module: dict[str, dict[str, int | None]] = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        module = meta.relative_to(MUTANTS).as_posix().removesuffix(".py.meta").replace("/", ".")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if codes:
            by_module[module] = codes
    return by_module


def _functions(module: str) -> dict[str, str]:
    """Source of every function in the mutated copy of ``module``, by name."""
    path = MUTANTS / (module.replace(".", "/") + ".py")
    source = path.read_text(encoding="utf-8")
    return {node.name: ast.get_source_segment(source, node) or ""
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def mutant_diff(name: str, cache: dict[str, dict[str, str]]) -> list[str]:
    """The lines a mutant changes, as -/+ lines (what `mutmut show` prints, without a process
    per mutant)."""
    module, _dot, function = name.rpartition(".")
    if module not in cache:
        cache[module] = _functions(module)
    functions = cache[module]
    original = functions.get(function.rpartition("__mutmut_")[0] + "__mutmut_orig", "")
    mutated = functions.get(function, "").replace(function, function.rpartition("__mutmut_")[0]
                                                  + "__mutmut_orig", 1)
    return [line for line in difflib.unified_diff(original.splitlines(), mutated.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def classify(code: int | None) -> str:
    if code in KILLED_CODES:
        return "killed"
    if code in SURVIVED_CODES:
        return "survived"
    if code in NO_TESTS_CODES:
        return "no tests"
    return "not run" if code is None else "suspicious"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diffs", action="store_true", help="show the diff of every survivor")
    parser.add_argument("--target", type=float, default=90.0, help="minimum overall kill rate, %%")
    args = parser.parse_args()
    if not MUTANTS.is_dir():
        print("No mutation results: run `make mutation` first.")
        return 1
    equivalent = equivalents()
    by_module = results()
    seen: set[str] = set()
    total: Counter[str] = Counter()
    survivors: list[str] = []
    stale: list[str] = []
    print(f"{'module':42} {'mutants':>7} {'killed':>6} {'equiv':>5} {'alive':>5} {'rate':>7}")
    for module, codes in by_module.items():
        counts: Counter[str] = Counter()
        for name, code in codes.items():
            seen.add(name)
            kind = classify(code)
            if name in equivalent:
                if kind == "killed":
                    stale.append(f"{name} is listed as equivalent but a test kills it")
                counts["equivalent"] += 1
            else:
                counts[kind] += 1
                if kind != "killed":
                    survivors.append(f"{name}: {kind}")
        counts["mutants"] = len(codes)
        total.update(counts)
        print(_row(module, counts))
    print(_row("overall", total))
    stale += [f"{name} is listed as equivalent but no such mutant exists"
              for name in equivalent if name not in seen]
    if survivors:
        print(f"\n{len(survivors)} mutants not killed and not reviewed as equivalent:")
        sources: dict[str, dict[str, str]] = {}
        for line in survivors:
            print("  " + line)
            if args.diffs:
                for change in mutant_diff(line.split(":")[0], sources):
                    print("      " + change)
    for line in stale:
        print("  stale: " + line)
    print(f"\nequivalent mutants reviewed: {total['equivalent']} (tests/mutation/equivalent.txt)")
    rate = _rate(total)
    if rate < args.target or total["not run"] or stale:
        print(f"FAIL: kill rate {rate:.1f} % (target {args.target:.0f} %), "
              f"{total['not run']} not run, {len(stale)} stale equivalents")
        return 1
    print(f"OK: kill rate {rate:.1f} % of non-equivalent mutants (target {args.target:.0f} %)")
    return 0


def _rate(counts: Counter[str]) -> float:
    considered = counts["mutants"] - counts["equivalent"]
    return 100.0 * counts["killed"] / considered if considered else 100.0


def _row(module: str, counts: Counter[str]) -> str:
    alive = counts["mutants"] - counts["killed"] - counts["equivalent"]
    return (f"{module:42} {counts['mutants']:>7} {counts['killed']:>6} {counts['equivalent']:>5} "
            f"{alive:>5} {_rate(counts):>6.1f}%")


if __name__ == "__main__":
    sys.exit(main())
