"""Run the TestClient suite and say what broke, by page, for a maintainer.

    python -m tools.newest_report [--label TEXT] [PYTEST_ARGS...]

Runs pytest with `-q --tb=no -rfE`, shows its output as it comes, then prints
one block per page (docs/<page>.md) with the first line of each failure and
error from pytest's short summary, so the report says which pages a new
FastAPI or Starlette would make wrong. A test module belongs to the longest
page name that prefixes it: tests/test_files_ranges.py to docs/files.md. The
exit status is pytest's.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# pytest's short summary (-rfE) names every failure and error with the first
# line of its message; -q and --tb=no leave little else.
SUMMARY_ARGS = ("-q", "--tb=no", "-rfE", "-p", "no:cacheprovider")
# Outside CI pytest cuts each summary line to the terminal's width.
SUMMARY_ENV = {"CI": "1"}
SHORT = 160  # characters of a message the report keeps

_PROBLEM = re.compile(r"(FAILED|ERROR) (.+?)(?: - (.*))?")
_TOTAL = re.compile(r"=* ?(.*?) in [\d.]+s(?: \([\d:]+\))? ?=*")
_COUNT = re.compile(r"(\d+) (failed|passed|errors?|skipped|xfailed|xpassed)\b")
_EXAMPLE = re.compile(r"\[examples/(\w+)/")


def pages(root: Path = ROOT) -> list[str]:
    """The page names: docs/<page>.md."""
    return sorted(path.stem for path in (root / "docs").glob("*.md"))


def page_of(nodeid: str, known: Iterable[str]) -> str | None:
    """The page a test belongs to: the example it runs, else its module's name.

    tests/test_files_ranges.py::t belongs to "files" (the longest page name
    that prefixes "files_ranges"); tests/test_examples.py::t[examples/json_response/x.py]
    to "json_response".
    """
    known = set(known)
    if (example := _EXAMPLE.search(nodeid)) and example[1] in known:
        return example[1]
    module = Path(nodeid.split("::")[0]).stem.removeprefix("test_")
    prefixes = [
        page for page in known if module == page or module.startswith(f"{page}_")
    ]
    return max(prefixes, key=len, default=None)


def summarise(
    output: str, label: str = "newest versions", known: Iterable[str] | None = None
) -> str:
    """The report for one pytest run's output (run with SUMMARY_ARGS)."""
    known = pages() if known is None else list(known)
    lines = output.splitlines()
    totals = [m[1] for line in lines if (m := _TOTAL.fullmatch(line.strip()))]
    if not totals:
        tail = "\n".join(lines[-20:])
        return f"{label}: pytest printed no summary; its output ended with\n{tail}"
    total = sum(int(number) for number, _ in _COUNT.findall(totals[-1]))
    broken: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if not (m := _PROBLEM.fullmatch(line)):
            continue
        status, nodeid, message = m[1], m[2], (m[3] or "(no message)")[:SHORT]
        if status == "ERROR" and "::" not in nodeid:
            message = f"collection failure: {message}"
        page = page_of(nodeid, known)
        group = (
            f"{page} (docs/{page}.md)" if page else f"{nodeid.split('::')[0]} (no page)"
        )
        broken[group].append(f"{nodeid.removeprefix('tests/')}: {message}")
    count = sum(len(entries) for entries in broken.values())
    report = [f"{label}: {count} of {max(total, count)} tests broke"]
    for group in sorted(broken):
        report.append(f"\n{group} - {len(broken[group])} broke")
        report += [f"  - {entry}" for entry in broken[group]]
    if not broken:
        report.append("nothing broke: the pins can move")
    return "\n".join(report)


def run_pytest(
    args: Iterable[str],
    *,
    python: str = sys.executable,
    env: dict[str, str] | None = None,
    echo: bool = True,
) -> tuple[int, str]:
    """pytest with SUMMARY_ARGS in ROOT: (exit status, everything it printed)."""
    with subprocess.Popen(
        [python, "-m", "pytest", *SUMMARY_ARGS, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {}), **SUMMARY_ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        output = []
        for line in proc.stdout:
            output.append(line)
            if echo:
                print(line, end="", flush=True)
        return proc.wait(), "".join(output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.newest_report",
        description=__doc__.split("\n\n")[0],
        allow_abbrev=False,
    )
    parser.add_argument("--label", default="newest versions")
    args, pytest_args = parser.parse_known_args(argv)
    status, output = run_pytest(pytest_args)
    print(f"\n{summarise(output, args.label)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
