"""Checks that keep the pages, the examples and the tests in step.

Each check takes the project root and returns a list of problems, one readable
sentence each that says where the problem is and how to fix it; an empty list
means the check holds. `fail_on` makes a test fail with every problem, one per
line. tests/test_consistency*.py run the checks on this repository and on small
broken trees, so every check is shown to fail when what it guards breaks. The
checks on a built site are in tests/consistency_site.py.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

from tools.settings import project

# pymdownx.snippets include line: --8<-- "path" or --8<-- "path:section"
INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"')
SECTION_MARK = re.compile(
    r"^\s*#\s*-{1,}8<-{1,}\s*\[(?P<kind>start|end):(?P<name>[\w-]+)\]"
)
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)\s*(?P<info>[^\s`]*)")
SERVE = re.compile(r"uvicorn\s+(?P<module>examples(?:\.\w+)+):(?P<attr>\w+)")
PYTHON_LANGS = {"py", "python", "python3", "pycon"}


@dataclass(frozen=True)
class Include:
    page: Path
    line: int
    path: str
    section: str | None

    def where(self, root: Path) -> str:
        return f"{self.page.relative_to(root).as_posix()}:{self.line}"


def fail_on(problems: list[str]) -> None:
    """Fail the calling test with every problem, one per line (no truncated diff)."""
    if problems:
        import pytest

        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        pytest.fail(f"{count}:\n" + "\n".join(problems), pytrace=False)


def pages(root: Path) -> list[Path]:
    return sorted((root / "docs").rglob("*.md"))


def example_files(root: Path) -> list[Path]:
    return sorted(
        p for p in (root / "examples").rglob("*.py") if p.name != "__init__.py"
    )


def module_name(root: Path, path: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts)


def includes(root: Path) -> list[Include]:
    found = []
    for page in pages(root):
        for number, line in enumerate(page.read_text().splitlines(), start=1):
            if match := INCLUDE.match(line):
                found.append(Include(page, number, match["path"], match["section"]))
    return found


def sections(source: str) -> dict[str, str]:
    """Named sections of an example, dedented, with all marker lines removed."""
    open_at: dict[str, int] = {}
    found: dict[str, str] = {}
    lines = source.splitlines()
    for index, line in enumerate(lines):
        if match := SECTION_MARK.match(line):
            if match["kind"] == "start":
                open_at[match["name"]] = index
            elif match["name"] in open_at:
                body = lines[open_at.pop(match["name"]) + 1 : index]
                kept = [b for b in body if not SECTION_MARK.match(b)]
                found[match["name"]] = dedent("\n".join(kept))
    return found


def without_markers(source: str) -> str:
    return "\n".join(
        line for line in source.splitlines() if not SECTION_MARK.match(line)
    )


def check_includes_resolve(root: Path) -> list[str]:
    """Every include on a page names a file that exists, and a section it has."""
    problems = []
    for inc in includes(root):
        target = root / inc.path
        if not target.is_file():
            folder = target.parent
            near = (
                sorted(p.name for p in folder.iterdir() if p.is_file())
                if folder.is_dir()
                else []
            )
            problems.append(
                f"{inc.where(root)} includes {inc.path}, which does not exist; "
                + (
                    f"{folder.relative_to(root).as_posix()}/ has: {', '.join(near)}"
                    if near
                    else "fix the path (relative to the repository root)"
                )
            )
        elif inc.section and inc.section not in (found := sections(target.read_text())):
            has = ", ".join(repr(name) for name in found) or "no sections"
            problems.append(
                f"{inc.where(root)} includes section {inc.section!r} of {inc.path}, "
                f"which has no such section; it has: {has} (a section is marked "
                f"`# --8<-- [start:{inc.section}]` ... `# --8<-- [end:{inc.section}]`)"
            )
    return problems


def transcript_files(root: Path) -> list[Path]:
    return sorted((root / "examples").glob("*/transcripts/*.txt"))


def check_examples_included(root: Path) -> list[str]:
    """Every example file, and every recorded transcript, is shown on some page."""
    shown = {inc.path for inc in includes(root)}
    return [
        f"{p.relative_to(root).as_posix()} is included by no page; include it "
        f'with --8<-- "{p.relative_to(root).as_posix()}'
        f'{":app" if p.suffix == ".py" else ""}" on its page, or delete it'
        for p in [*example_files(root), *transcript_files(root)]
        if p.relative_to(root).as_posix() not in shown
    ]


def check_examples_served(root: Path) -> list[str]:
    """Every example has an app and a try-it part; its page says how to serve it."""
    problems = []
    page_text = {inc.path: inc.page.read_text() for inc in includes(root)}
    for path in example_files(root):
        rel = path.relative_to(root).as_posix()
        source = path.read_text()
        found = sections(source)
        for needed in ("app", "try_it"):
            if needed not in found:
                problems.append(
                    f"{rel} has no {needed!r} section; mark it with "
                    f"`# --8<-- [start:{needed}]` ... `# --8<-- [end:{needed}]`"
                    + (
                        ' (inside `if __name__ == "__main__":`)'
                        if needed == "try_it"
                        else ""
                    )
                )
        if not re.search(r"^app\s*=", source, flags=re.MULTILINE):
            problems.append(
                f"{rel} defines no module-level `app`; name the FastAPI app `app` "
                "at the top level of the module (`app = FastAPI()`)"
            )
        command = f"uvicorn {module_name(root, path)}:app"
        if rel in page_text and command not in page_text[rel]:
            problems.append(
                f"the page that shows {rel} does not say `{command}`; add "
                f"'Serve it with `{command}`' under its include"
            )
    for page in pages(root):
        for match in SERVE.finditer(page.read_text()):
            target = root / Path(*match["module"].split(".")).with_suffix(".py")
            if not target.is_file():
                problems.append(
                    f"{page.relative_to(root).as_posix()} serves {match['module']}, "
                    f"which does not exist; fix the module path (the file would be "
                    f"{target.relative_to(root).as_posix()})"
                )
    return problems


def imported_modules(source: str) -> set[str]:
    """Dotted names a module imports, counting `from a import b` as a and a.b."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def check_examples_tested(root: Path) -> list[str]:
    """Every example is imported by a test module that mirrors its page.

    That is tests/test_<page>.py, or one of the tests/test_<page>_*.py modules
    a long test file was split into.
    """
    problems = []
    for path in example_files(root):
        page = path.parent.relative_to(root / "examples").parts[0]
        tests = root / "tests"
        modules = [tests / f"test_{page}.py", *sorted(tests.glob(f"test_{page}_*.py"))]
        imported = any(
            module.is_file()
            and module_name(root, path) in imported_modules(module.read_text())
            for module in modules
        )
        if not imported:
            problems.append(
                f"{path.relative_to(root).as_posix()} is not imported by "
                f"tests/test_{page}.py or tests/test_{page}_*.py; add "
                f"`from examples.{page} import {path.stem}` to tests/test_{page}.py "
                "and assert what the page claims"
            )
    return problems


def check_no_typed_python(root: Path) -> list[str]:
    """No Python is typed into a page: a Python fence holds only include lines."""
    problems = []
    for page in pages(root):
        fence: str | None = None
        for number, line in enumerate(page.read_text().splitlines(), start=1):
            match = FENCE.match(line)
            if fence is None and match:
                if match["info"].strip("{}. ").lower() in PYTHON_LANGS:
                    fence, start = match["fence"], number
                continue
            if fence is not None:
                if line.strip().startswith(fence):
                    fence = None
                elif line.strip() and not INCLUDE.match(line):
                    problems.append(
                        f"{page.relative_to(root).as_posix()}:{number} types Python "
                        f"into the page (fence opened at line {start}); move the "
                        "code into a file under examples/ and include it with "
                        '--8<-- "examples/<page>/<name>.py:<section>"'
                    )
                    fence = None
    return problems


MISTAKE = "Mistake:"


def docstring(path: Path) -> str | None:
    return ast.get_docstring(ast.parse(path.read_text()))


def check_mistakes_shown_with_fix(root: Path) -> list[str]:
    """Every example has a docstring; each that starts "Mistake:" fails on purpose.

    Such an example is left out of the fuzz test (tests/e2e/test_fuzz_examples.py),
    so a page must show what goes wrong and how to do it right: some page
    includes its try_it part (or a transcript named after it), which prints the
    failure, and that same page includes an example that is not a mistake, the
    fix. A mistake shown nowhere, or shown without a fix, is reported.
    """
    problems = []
    shown_by: dict[str, list[Include]] = {}
    for inc in includes(root):
        shown_by.setdefault(inc.page.relative_to(root).as_posix(), []).append(inc)
    mistakes = set()
    for path in example_files(root):
        rel = path.relative_to(root).as_posix()
        text = docstring(path)
        if not text:
            problems.append(
                f"{rel} has no module docstring; start the file with a one-line "
                '"""docstring""" saying what it shows ("Mistake: ..." if it fails '
                "on purpose)"
            )
        elif text.startswith(MISTAKE):
            mistakes.add(rel)
    for rel in sorted(mistakes):
        stem = Path(rel).stem
        transcripts = f"{Path(rel).parent.as_posix()}/transcripts/{stem}"
        failure_pages = sorted(
            {
                page
                for page, incs in shown_by.items()
                for inc in incs
                if (inc.path == rel and inc.section in (None, "try_it"))
                or inc.path.startswith(transcripts)
            }
        )
        if not failure_pages:
            problems.append(
                f"{rel} is a mistake, but no page shows its failure; include "
                f'--8<-- "{rel}:try_it" (or a transcript named '
                f"{transcripts}_*.txt) on its page"
            )
            continue
        has_fix = any(
            inc.path.startswith("examples/")
            and inc.path.endswith(".py")
            and inc.path not in mistakes
            for page in failure_pages
            for inc in shown_by[page]
        )
        if not has_fix:
            problems.append(
                f"{rel} is a mistake, but {', '.join(failure_pages)} shows no fix; "
                "include, on the same page, an example whose docstring does not "
                'start with "Mistake:"'
            )
    return problems


TESTED_WITH = "docs/tested-with.txt"


def check_pages_show_tested_with(root: Path) -> list[str]:
    """Every page shows the versions its examples were tested with."""
    shown = {inc.page for inc in includes(root) if inc.path == TESTED_WITH}
    return [
        f"{page.relative_to(root).as_posix()} does not include {TESTED_WITH}; "
        f'end the page with the line --8<-- "{TESTED_WITH}"'
        for page in pages(root)
        if page not in shown
    ]


PIP_INSTALL = re.compile(r"^\s*\$?\s*(?:python3? -m )?pip install\s+(?P<args>.*)$")
CONSTRAINTS = "requirements/constraints.txt"
# The groups a reader's install must match: the examples' own, and the tests'
# (its TestClient, used by every "Try it" part, needs httpx2).
INSTALL_GROUPS = ("examples", "tests")


def _package(requirement: str) -> str:
    name = re.split(r"[\[=<>!~; ]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _group_pins(pyproject: dict, name: str) -> set[str]:
    groups = pyproject.get("dependency-groups", {})
    found: set[str] = set()
    for entry in groups.get(name, []):
        if isinstance(entry, dict):
            found |= _group_pins(pyproject, entry["include-group"])
        elif "==" in entry:
            found.add(_package(entry))
    return found


def check_install_lines_pinned(root: Path) -> list[str]:
    """A `pip install` line on a page uses the constraints file, and names only
    packages pinned there and in the examples' or the tests' group."""
    lines = [
        (page, number, match["args"].split())
        for page in pages(root)
        for number, line in enumerate(page.read_text().splitlines(), start=1)
        if (match := PIP_INSTALL.match(line))
    ]
    if not lines:
        return []
    constraints_path = root / CONSTRAINTS
    constrained = (
        {
            _package(line)
            for line in constraints_path.read_text().splitlines()
            if "==" in line and not line.lstrip().startswith("#")
        }
        if constraints_path.exists()
        else set()
    )
    pyproject_path = root / "pyproject.toml"
    pyproject = project(pyproject_path) if pyproject_path.exists() else {}
    grouped = set().union(*(_group_pins(pyproject, name) for name in INSTALL_GROUPS))
    problems = []
    for page, number, args in lines:
        where = f"{page.relative_to(root).as_posix()}:{number}"
        if " ".join(args[:2]) == f"-c {CONSTRAINTS}":
            args = args[2:]
        else:
            problems.append(
                f"{where}: pip install does not start with -c {CONSTRAINTS}; "
                f"write `pip install -c {CONSTRAINTS} <packages>`"
            )
        for arg in args:
            if arg.startswith("-"):
                problems.append(
                    f"{where}: pip install option {arg} is not checked; "
                    "name packages only"
                )
                continue
            name = _package(arg)
            if name not in constrained:
                problems.append(
                    f"{where}: {name} is not pinned in {CONSTRAINTS}; pin it "
                    "(README, Pins) or leave it out"
                )
            if name not in grouped:
                problems.append(
                    f"{where}: {name} is in none of the groups "
                    f"{', '.join(INSTALL_GROUPS)} of pyproject.toml; add it to the "
                    "examples group with its pin"
                )
    return problems


REPO_CHECKS = (
    check_pages_show_tested_with,
    check_install_lines_pinned,
    check_includes_resolve,
    check_examples_included,
    check_examples_served,
    check_examples_tested,
    check_no_typed_python,
    check_mistakes_shown_with_fix,
)
