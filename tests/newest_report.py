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


def summarise(report: Path) -> str:
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
        module = case.get("classname", "?").rsplit(".", 1)[-1]
        message = (problem.get("message") or problem.text or "").strip()
        first = message.splitlines()[0][:160] if message else "(no message)"
        broken[module].append(f"{case.get('name')}: {first}")
    lines = [f"newest versions: {failed} of {total} tests broke"]
    for module in sorted(broken):
        page = module.removeprefix("test_")
        lines.append(f"\n{module}.py (page: {page}) - {len(broken[module])} broke")
        lines += [f"  - {entry}" for entry in broken[module]]
    if not broken:
        lines.append("nothing broke: the pins can move")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summarise(Path(sys.argv[1])))
