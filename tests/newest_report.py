"""Summarise a newest-versions test run for a maintainer: what broke, by page.

    python -m tests.newest_report junit.xml

Reads pytest's JUnit XML and prints one block per test module (each mirrors
a page), with the first line of each failure, so the report says which pages
a new FastAPI or Starlette would make wrong.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path


def _first_line(problem: ET.Element) -> str:
    """The message, or for a module that failed to import, the error it raised."""
    message = (problem.get("message") or "").strip()
    raised = [
        line.removeprefix("E").strip()
        for line in (problem.text or "").splitlines()
        if line.startswith("E ")
    ]
    if message == "collection failure" and raised:
        message = f"collection failure: {raised[-1]}"
    message = message or (problem.text or "").strip()
    return message.splitlines()[0][:160] if message else "(no message)"


def summarise(report: Path, label: str = "newest versions") -> str:
    root = ET.parse(report).getroot()
    total = failed = 0
    broken: dict[str, list[str]] = defaultdict(list)
    for case in root.iter("testcase"):
        total += 1
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            continue
        failed += 1
        # A module that failed to import has no classname; its name is the module.
        module = (case.get("classname") or case.get("name") or "?").rsplit(".", 1)[-1]
        broken[module].append(f"{case.get('name')}: {_first_line(problem)}")
    lines = [f"{label}: {failed} of {total} tests broke"]
    for module in sorted(broken):
        page = module.removeprefix("test_")
        lines.append(f"\n{module}.py (page: {page}) - {len(broken[module])} broke")
        lines += [f"  - {entry}" for entry in broken[module]]
    if not broken:
        lines.append("nothing broke: the pins can move")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summarise(Path(sys.argv[1])))
