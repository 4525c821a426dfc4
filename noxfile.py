"""Every check of the guide, one session per kind; `nox` alone runs them all."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

# nox loads this file by path; tools/ sits next to it.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from tools.settings import apply_environment, guide, oldest, pins

nox.needs_version = ">=2026.10.20"
nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

# The e2e and bench sessions need programs pip cannot install: curl, a
# chromium, wrk and nginx (Debian: `apt-get install chromium curl wrk nginx`).
# `nox` alone runs e2e and a quick bench when they are here; CI sets
# GUIDE_REQUIRE_E2E=1 so their absence fails instead.
E2E_TOOLS = ("curl", "chromium", "wrk", "nginx")
E2E_MISSING = [tool for tool in E2E_TOOLS if shutil.which(tool) is None]
# `tests` and `examples` are the fast loop on one Python; the default run leaves
# them out because every `matrix` leg runs both (and measures coverage once).
nox.options.sessions = ["lint", "version_notes", "docs"]
if not E2E_MISSING or os.environ.get("GUIDE_REQUIRE_E2E") == "1":
    nox.options.sessions += ["e2e", "bench_quick"]

# The variables every run gets (tools/settings.py ENVIRONMENT), for `nox`
# started without dev.py.
apply_environment()

CONSTRAINTS = "requirements/constraints.txt"
SITE_DIR = "build/site"

PYTHONS = guide()["pythons"]
OLDEST = {package: str(oldest(package)) for package in ("fastapi", "starlette")}
PINNED = {
    package: str(pins("examples")[package]) for package in ("fastapi", "starlette")
}


def runs(python: str) -> bool:
    """Is `python3.X` on PATH and working (a pyenv shim may not be)?"""
    command = f"python{python}"
    return shutil.which(command) is not None and (
        subprocess.run(
            [command, "-c", "pass"], capture_output=True, check=False
        ).returncode
        == 0
    )


# The matrix runs on every Python of [tool.guide] found here; CI sets
# GUIDE_REQUIRE_MATRIX=1 so a missing one is an error instead.
if os.environ.get("GUIDE_REQUIRE_MATRIX") == "1":
    nox.options.sessions.append("matrix")
    FOUND = PYTHONS
else:
    FOUND = [py for py in PYTHONS if runs(py)]
    nox.options.sessions += [f"matrix-{py}" for py in FOUND]
# The pinned leg on the newest Python found also gates coverage of examples/.
COVERAGE_PYTHON = FOUND[-1] if FOUND else None


def install(
    session: nox.Session, *groups: str, replace: dict[str, str] | None = None
) -> None:
    """Install pyproject dependency groups, every transitive version pinned.

    `replace` swaps pins for other specifiers, e.g. {"fastapi": "==0.135.1"},
    or {"fastapi": ""} for the newest release; everything else stays pinned.
    """
    group_args = [arg for group in groups for arg in ("--group", group)]
    if not replace:
        session.install("-c", CONSTRAINTS, *group_args)
        return
    tmp = Path(session.create_tmp())
    constraints = tmp / "constraints.txt"
    constraints.write_text(
        "".join(
            line
            for line in Path(CONSTRAINTS).read_text().splitlines(keepends=True)
            if line.split("==")[0] not in replace
        )
    )
    override = tmp / "override.txt"
    override.write_text("".join(f"{name}{spec}\n" for name, spec in replace.items()))
    upgrades = [arg for name in replace for arg in ("--upgrade-package", name)]
    session.install("-c", constraints, "--override", override, *upgrades, *group_args)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff over the tests and tooling (examples are linted by the examples session)."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def tests(session: nox.Session) -> None:
    """Behaviour of every example through TestClient, and the consistency checks.

    Measures the lines of examples/ the tests run ([tool.coverage] in
    pyproject.toml) and fails below 100%, naming the missing lines; when the
    arguments pick some tests (a path, -k or -m), it only reports.
    """
    install(session, "tests")
    session.run("coverage", "erase")  # no data file left by an earlier run
    session.run(
        "coverage",
        "run",
        "-m",
        "pytest",  # pyproject's -m: the fast suite
        *session.posargs,
    )
    report_coverage(session)


def report_coverage(session: nox.Session) -> None:
    """Coverage of examples/, failing below 100% unless the arguments picked
    some tests (a path, -k or -m), when it only reports."""
    picks = any(
        arg.startswith(("tests", "-k", "-m", "--lf", "--deselect"))
        for arg in session.posargs
    )
    session.run("coverage", "combine", "--quiet")  # each process wrote its own file
    session.run("coverage", "report", *(["--fail-under=0"] if picks else []))


@nox.session(default=False)
def fmt(session: nox.Session) -> None:
    """Rewrite what ruff formats: `ruff check --fix`, then `ruff format`.

    Examples are formatted by `nox -s examples -- --update-examples` instead
    (ruff format would break their #> output lines); docs/ and templates/ are
    left alone.
    """
    install(session, "lint")
    session.run("ruff", "check", "--fix", ".")
    session.run("ruff", "format", ".")


@nox.session
def examples(session: nox.Session) -> None:
    """Run every example file, compare its printed output with its #> lines, lint it.

    `nox -s examples -- --update-examples` rewrites the #> lines and formatting.
    """
    install(session, "tests")
    session.run("pytest", "-m", "examples", *session.posargs)


@nox.session(python=PYTHONS)
@nox.parametrize("leg", ["oldest", "pinned"], ids=["oldest", "pinned"])
def matrix(session: nox.Session, leg: str) -> None:
    """The TestClient suite and every example, on one Python, with the pinned
    FastAPI and Starlette or with the oldest supported pair ([tool.guide]).
    The pinned leg on the newest Python also measures coverage of examples/
    and alone runs the repository's own checks (marker `tooling`)."""
    versions = OLDEST if leg == "oldest" else PINNED
    replace = {package: f"=={version}" for package, version in versions.items()}
    install(session, "tests", replace=replace if leg == "oldest" else None)
    measured = leg == "pinned" and session.python == COVERAGE_PYTHON
    if measured:
        session.run("coverage", "erase")  # no data file left by an earlier run
    session.run(
        *(["coverage", "run", "-m"] if measured else []),
        "pytest",
        "-m",
        # The repository's own checks give the same answer on every leg.
        "not e2e and not site" if measured else "not e2e and not site and not tooling",
        # Four processes, a test module each at a time (module-level state
        # such as a test app's records stays in one process). Most of a leg's
        # time is spent waiting (sleeps, threads, subprocesses), so four
        # processes on two cores took a leg from 95 s to 52 s. Coverage
        # measures every process ([tool.coverage.run] patch = subprocess).
        "-n",
        "4",
        "--dist",
        "loadfile",
        *session.posargs,
        env={
            f"GUIDE_EXPECT_{package.upper()}": version
            for package, version in versions.items()
        },
    )
    if measured:
        report_coverage(session)


@nox.session
def version_notes(session: nox.Session) -> None:
    """Each "Since X" note: the behaviour is absent in the release before X, present in X."""
    install(session, "tests")
    session.run("python", "-m", "tools.version_bisect", "--work", ".nox/version-notes")


@nox.session(default=False)
def newest(session: nox.Session) -> None:
    """Every TestClient test and example on the newest FastAPI and Starlette.

    Not part of the default run: it tells a maintainer what a new release
    breaks, in a short report grouped by page, before the pins move.
    """
    install(session, "tests", replace={"fastapi": "", "starlette": ""})
    versions = session.run(
        "python",
        "-c",
        "import fastapi, starlette; print(fastapi.__version__, starlette.__version__)",
        silent=True,
    )
    session.log(f"newest FastAPI and Starlette: {versions.strip()}")
    # pytest's output, then what broke by page, from its short summary (-rfE).
    session.run(
        "python",
        "-m",
        "tools.newest_report",
        "-m",
        "not e2e and not site",
        *session.posargs,
    )


def browser_runtime(session: nox.Session) -> None:
    """Pyodide and the wheels the Run buttons load, into docs/run/runtime/
    (tools/browser_runtime.py; downloads once, checks hashes every time)."""
    session.run("python", "-m", "tools.browser_runtime")


@nox.session
def docs(session: nox.Session) -> None:
    """Strict site build, then checks that read the built HTML."""
    install(session, "docs", "tests")
    browser_runtime(session)
    session.run("mkdocs", "build", "--strict", "--site-dir", SITE_DIR)
    session.run("pytest", "-m", "site", f"--site-dir={SITE_DIR}", *session.posargs)


@nox.session
def e2e(session: nox.Session) -> None:
    """Real uvicorn, curl and Debian's chromium: timing, memory, ranges, the built site."""
    require_real_server_tools(session)
    install(session, "e2e")
    browser_runtime(session)
    session.run("mkdocs", "build", "--strict", "--site-dir", SITE_DIR)
    session.run(
        "pytest",
        "-m",
        "e2e",
        f"--site-dir={SITE_DIR}",
        # Three processes, a test module each at a time: most e2e time is
        # spent waiting on servers and browsers, and a module's servers and
        # fixtures stay in one process. Timing checks compare side by side, so
        # they hold with the other processes busy. The Run buttons' module
        # (a Python in the browser, about 4 minutes) keeps one process busy.
        "-n",
        "3",
        "--dist",
        "loadfile",
        *session.posargs,
    )


def require_real_server_tools(session: nox.Session) -> None:
    if E2E_MISSING:
        session.error(
            f"missing {', '.join(E2E_MISSING)}: on Debian, "
            "apt-get install chromium curl wrk nginx"
        )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks on real uvicorn with wrk and nginx; rewrites docs/performance/.

    Takes about ten minutes; commit docs/performance/ afterwards.
    """
    require_real_server_tools(session)
    install(session, "bench")
    session.run("python", "-m", "tools.bench.run", *session.posargs)


@nox.session
def bench_quick(session: nox.Session) -> None:
    """The benchmark code on tiny inputs, into a temporary folder: it keeps working."""
    require_real_server_tools(session)
    install(session, "bench")
    session.run("python", "-m", "tools.bench.run", "--quick", *session.posargs)


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Live preview of the site at http://127.0.0.1:8000; rebuilds on any change
    under docs/ or examples/.

    `nox -s serve -- --port 8001` serves on another port; other arguments go
    to `mkdocs serve`. It installs what the docs session installs, so the
    Reference page comes out the same: mkdocstrings lays out its signatures
    with a formatter from the tests group (black, ruff); with the docs group
    alone they stay on one line.
    """
    install(session, "docs", "tests")
    browser_runtime(session)
    args = list(session.posargs)
    port = "8000"
    if "--port" in args:
        at = args.index("--port")
        port = args[at + 1]
        del args[at : at + 2]
    session.run("mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *args)
