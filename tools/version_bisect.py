"""Check that each version note names the release that brought its behaviour.

    python -m tools.version_bisect [--only fastapi:0.131] [--work DIR] [--python PY]
    python -m tools.version_bisect --oldest-starlette [--fastapi 0.135.1] [--try X]

For every probe in tools/version_notes.py PROBES (the claims the pages make),
this builds two uv virtual environments, cached under --work: one with the
release the note names and one with the release just before it (both from the
registry's explicit table, never looked up on the index). It runs the probe in
each and requires "absent" before and "present" at the named release. One line
per claim; the exit status is 1 if any claim is WRONG.

A FastAPI claim installs fastapi==X and lets uv pick the Starlette it allows; a
Starlette claim installs starlette==X alone (its probes need no FastAPI, and
FastAPI releases that allow Starlette 0.38 are far older than the guide).
Both get pydantic/httpx2/httpx pins from the probe's `needs`.

With --oldest-starlette it finds instead the oldest Starlette on which the
whole TestClient suite and every example pass with the oldest supported
FastAPI ([tool.guide] in pyproject.toml): it bisects STARLETTE_RELEASES (from
the lowest Starlette that FastAPI declares to the pinned one), one venv per
candidate with every other package at its pin, runs `pytest -m "not e2e and not
site"` in each, and prints what broke on each failing candidate.
The bisect assumes that once the suite passes it keeps passing on newer
releases; `--try X` (repeatable) runs given candidates instead, to check that.

Needs `uv`: the one on PATH, else the one `python3 dev.py` installs in
.runner/bin. Python downloads are disabled (tools/settings.py ENVIRONMENT),
so the venvs use --python, by default the interpreter under the one running
this script (outside any virtual environment).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tools.newest_report import SUMMARY_ARGS, SUMMARY_ENV, summarise
from tools.settings import CONSTRAINTS, ENVIRONMENT, ROOT, guide, pins
from tools.version_notes import ABSENT, PRESENT, PROBES, Probe, ProbeError, run_probe

DEFAULT_WORK = Path(".nox") / "version-notes"
# Every Starlette release from 0.46.0 (the lowest FastAPI 0.135.1 accepts) up to
# the pin, as PyPI listed them in November 2026. Explicit, so a run installs
# exactly these and never asks the index what exists.
STARLETTE_RELEASES = (
    "0.46.0", "0.46.1", "0.46.2", "0.47.0", "0.47.1", "0.47.2", "0.47.3",
    "0.48.0", "0.49.0", "0.49.1", "0.49.2", "0.49.3", "0.50.0", "0.51.0",
    "0.52.0", "0.52.1", "1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1", "1.3.0",
    "1.3.1", "1.4.0", "1.4.1", "1.5.0", "1.5.1", "1.6.0", "1.7.0", "1.8.0",
    "1.9.0", "1.10.0",
)  # fmt: skip
SUITE_TIMEOUT = 1800  # seconds for one candidate's whole suite (it takes 3-4 min)
HANG_AFTER = 300  # seconds one test may take before pytest dumps its stack
# The one test that insists on the versions [tool.guide] names: a candidate
# Starlette is not one of them until the bisect has chosen it.
NAMED_VERSIONS_TEST = (
    "tests/test_tested_with.py::test_this_run_uses_the_versions_the_note_names"
)
COMPANION = {"fastapi": "starlette", "starlette": "fastapi"}


@dataclass(frozen=True)
class Env:
    package: str
    version: str
    requirements: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.package}-{self.version}"


def base_python() -> str:
    """The interpreter a venv's Python was made from (this one, if not in a venv)."""
    base = getattr(sys, "_base_executable", None)
    return base if base and Path(base).exists() else sys.executable


def env_python(directory: Path) -> Path:
    return directory / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def find_uv() -> str | None:
    """uv on PATH, else the pinned one `python3 dev.py` puts in .runner/."""
    runner_bin = ROOT / ".runner" / "bin"
    return shutil.which("uv") or shutil.which("uv", path=str(runner_bin))


def uv(*args: str) -> None:
    env = {**os.environ, **ENVIRONMENT}
    done = subprocess.run(
        [find_uv() or "uv", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"uv {' '.join(args)} failed:\n{done.stderr.strip()}")


def prepare(env: Env, work: Path, python: str) -> Path:
    """Create (or reuse) the venv for `env`; returns its interpreter."""
    directory = work / env.name
    stamp = directory / "version-notes-requirements.txt"
    wanted = "\n".join(env.requirements) + "\n"
    if stamp.exists() and stamp.read_text() == wanted:
        return env_python(directory)
    if not (directory / "pyvenv.cfg").exists():
        uv("venv", "--quiet", "--python", python, str(directory))
    uv(
        "pip",
        "install",
        "--quiet",
        "--python",
        str(env_python(directory)),
        *wanted.split(),
    )
    stamp.write_text(wanted)
    return env_python(directory)


def installed(python: Path, package: str) -> str:
    code = (
        "import importlib.metadata as m\n"
        f"try: print(m.version({package!r}))\n"
        "except m.PackageNotFoundError: print('-')"
    )
    done = subprocess.run(
        [str(python), "-I", "-c", code], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def envs_for(probes: list[Probe]) -> dict[tuple[str, str], Env]:
    """One venv per (package, version); claims that share one share its venv."""
    needs: dict[tuple[str, str], set[str]] = {}
    for probe in probes:
        for version in (probe.before, probe.at):
            needs.setdefault((probe.package, version), set()).update(probe.needs)
    return {
        (package, version): Env(
            package, version, (f"{package}=={version}", *sorted(extra))
        )
        for (package, version), extra in needs.items()
    }


def result(python: Path, probe: Probe) -> str:
    try:
        return run_probe(probe.path, str(python), timeout=180)
    except ProbeError as error:
        return f"error: {error}"


def suite_env(fastapi: str, starlette: str, work: Path, python: str) -> Path:
    """A venv with the tests group at its pins, except fastapi and starlette."""
    directory = work / f"fastapi-{fastapi}-starlette-{starlette}"
    stamp = directory / "oldest-starlette-constraints.txt"
    kept = "".join(
        line
        for line in CONSTRAINTS.read_text().splitlines(keepends=True)
        if line.split("==")[0] not in {"fastapi", "starlette"}
    )
    wanted = f"fastapi=={fastapi}\nstarlette=={starlette}\n{kept}"
    if stamp.exists() and stamp.read_text() == wanted:
        return env_python(directory)
    if not (directory / "pyvenv.cfg").exists():
        uv("venv", "--quiet", "--python", python, str(directory))
    constraints = directory / "constraints-without-fastapi-starlette.txt"
    constraints.write_text(kept)
    override = directory / "override.txt"
    override.write_text(f"fastapi=={fastapi}\nstarlette=={starlette}\n")
    uv(
        "pip",
        "install",
        "--quiet",
        "--python",
        str(env_python(directory)),
        "-c",
        str(constraints),
        "--override",
        str(override),
        "--group",
        f"{ROOT / 'pyproject.toml'}:tests",
    )
    stamp.write_text(wanted)
    return env_python(directory)


def run_suite(
    python: Path, fastapi: str, starlette: str, timeout: int = SUITE_TIMEOUT
) -> tuple[bool, str]:
    """The matrix's pytest run in `python`; (passed, what broke by page)."""
    try:
        done = subprocess.run(
            [
                str(python),
                "-m",
                "pytest",
                "-m",
                "not e2e and not site",
                f"--deselect={NAMED_VERSIONS_TEST}",
                *SUMMARY_ARGS,
                # A test that hangs prints every thread's stack after this long.
                "-o",
                f"faulthandler_timeout={min(HANG_AFTER, timeout // 2)}",
            ],
            cwd=ROOT,
            env={**os.environ, "GUIDE_EXPECT_FASTAPI": fastapi, **SUMMARY_ENV},
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        output = b"".join(
            part.encode() if isinstance(part, str) else part
            for part in (error.stdout or b"", error.stderr or b"")
        )
        text = output.decode(errors="replace")
        # faulthandler's dump: keep the frames in the guide's own files.
        frames = dict.fromkeys(
            line.strip()
            for line in text.splitlines()
            if f"{ROOT}/tests/" in line or f"{ROOT}/examples/" in line
        )
        where = "\n".join(f"  {frame}" for frame in frames) or text[-2000:]
        return False, f"starlette {starlette}: the suite hung ({timeout} s) in\n{where}"
    return done.returncode == 0, summarise(done.stdout, f"starlette {starlette}")


def bisect_oldest(candidates: list[str], passes: Callable[[str], bool]) -> str | None:
    """The oldest candidate that passes, if passing never stops once it starts.

    Checks the newest first (None if it fails), then halves the range: about
    log2(len(candidates)) + 1 checks instead of one per candidate.
    """
    low, high = 0, len(candidates) - 1
    if not passes(candidates[high]):
        return None
    while low < high:  # candidates[high] passes; everything below `low` fails
        middle = (low + high) // 2
        if passes(candidates[middle]):
            high = middle
        else:
            low = middle + 1
    return candidates[high]


def oldest_starlette(
    fastapi: str,
    candidates: list[str],
    work: Path,
    python: str,
    bisect: bool,
    timeout: int = SUITE_TIMEOUT,
) -> int:
    """Bisect (or just try) Starlette releases under `fastapi`; print each run."""
    work.mkdir(parents=True, exist_ok=True)
    verdicts: dict[str, bool] = {}

    def check(starlette: str) -> bool:
        started = time.monotonic()
        passed, report = run_suite(
            suite_env(fastapi, starlette, work, python), fastapi, starlette, timeout
        )
        verdicts[starlette] = passed
        print(
            f"fastapi {fastapi} + starlette {starlette}: "
            f"{'PASS' if passed else 'FAIL'} ({time.monotonic() - started:.0f} s)",
            flush=True,
        )
        if not passed:
            print(report)
        return passed

    if not bisect:
        passed = [check(version) for version in candidates]  # run every one
        return 0 if all(passed) else 1
    oldest = bisect_oldest(candidates, check)
    if oldest is None:
        print(f"the newest candidate, {candidates[-1]}, fails: nothing to bisect")
        return 1
    high = candidates.index(oldest)
    print(
        f"oldest Starlette on which every test passes with FastAPI {fastapi}: "
        f"{candidates[high]}"
    )
    if high > 0:
        print(
            f"the release before it, {candidates[high - 1]}, "
            f"{'fails' if verdicts.get(candidates[high - 1]) is False else 'was not run'}"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.version_bisect", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PACKAGE:VERSION",
        help="check only this claim (repeatable), e.g. fastapi:0.131",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=DEFAULT_WORK,
        help=f"venv cache (default {DEFAULT_WORK})",
    )
    parser.add_argument(
        "--python",
        default=base_python(),
        help="interpreter for the venvs (default %(default)s)",
    )
    parser.add_argument("--jobs", type=int, default=8, help="parallel venvs/probes")
    parser.add_argument(
        "--oldest-starlette",
        action="store_true",
        help="find the oldest Starlette on which the suite passes (see above)",
    )
    parser.add_argument(
        "--fastapi",
        default=guide()["oldest-fastapi"],
        help="FastAPI for --oldest-starlette (default %(default)s, the oldest supported)",
    )
    parser.add_argument(
        "--try",
        dest="candidates",
        action="append",
        default=[],
        metavar="STARLETTE",
        help="with --oldest-starlette: run these releases instead of bisecting",
    )
    parser.add_argument(
        "--suite-timeout",
        type=int,
        default=SUITE_TIMEOUT,
        help="with --oldest-starlette: seconds before a candidate's run counts as "
        "hung (default %(default)s)",
    )
    args = parser.parse_args(argv)

    if find_uv() is None:
        parser.error("uv is neither on PATH nor in .runner/bin (run python3 dev.py)")
    if args.oldest_starlette:
        newest = STARLETTE_RELEASES.index(str(pins("examples")["starlette"]))
        return oldest_starlette(
            args.fastapi,
            args.candidates or list(STARLETTE_RELEASES[: newest + 1]),
            args.work.resolve(),
            args.python,
            bisect=not args.candidates,
            timeout=args.suite_timeout,
        )
    probes = list(PROBES.values())
    if args.only:
        known = {probe.label: probe for probe in probes}
        unknown = [label for label in args.only if label not in known]
        if unknown:
            parser.error(f"no such claim {unknown}; known: {', '.join(known)}")
        probes = [known[label] for label in args.only]

    started = time.monotonic()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    envs = envs_for(probes)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        pythons = dict(
            zip(
                envs,
                pool.map(lambda env: prepare(env, work, args.python), envs.values()),
                strict=True,
            )
        )
        runs = [
            (probe, key)
            for probe in probes
            for key in ((probe.package, probe.before), (probe.package, probe.at))
        ]
        outcomes = dict(
            zip(
                runs,
                pool.map(lambda run: result(pythons[run[1]], run[0]), runs),
                strict=True,
            )
        )
        companions = dict(
            zip(
                envs,
                pool.map(lambda key: installed(pythons[key], COMPANION[key[0]]), envs),
                strict=True,
            )
        )

    wrong = 0
    errors = []
    width = max(len(probe.label) for probe in probes)
    for probe in probes:
        cells = []
        for version, want in ((probe.before, ABSENT), (probe.at, PRESENT)):
            key = (probe.package, version)
            got = outcomes[(probe, key)]
            if got.startswith("error: "):
                errors.append(f"{probe.label} at {probe.package} {version}: {got}")
                got = "error"
            other = companions[key]
            extra = f"({COMPANION[probe.package]} {other})" if other != "-" else ""
            cells.append((f"{version} -> {got}", extra, got == want))
        ok = all(good for _, _, good in cells)
        wrong += not ok
        shown = "  ".join(f"{text:<22} {extra:<18}" for text, extra, _ in cells)
        print(f"{probe.label:<{width}}  {shown}  {'OK' if ok else 'WRONG'}", flush=True)
    for error in errors:
        print(f"\n{error}", file=sys.stderr)
    print(
        f"{len(probes) - wrong}/{len(probes)} claims right, "
        f"{len(envs)} venvs under {work}, {time.monotonic() - started:.1f} s"
    )
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
