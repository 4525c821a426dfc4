"""Check that each version note names the release that brought its behaviour.

    python -m tests.version_bisect [--only fastapi:0.131] [--work DIR] [--python PY]

For every probe in tests/version_notes.py PROBES (the claims the pages make),
this builds two uv virtual environments, cached under --work: one with the
release the note names and one with the release just before it (both from the
registry's explicit table, never looked up on the index). It runs the probe in
each and requires "absent" before and "present" at the named release. One line
per claim; the exit status is 1 if any claim is WRONG.

A FastAPI claim installs fastapi==X and lets uv pick the Starlette it allows; a
Starlette claim installs starlette==X alone (its probes need no FastAPI, and
FastAPI releases that allow Starlette 0.38 are far older than the guide).
Both get pydantic/httpx2/httpx pins from the probe's `needs`.

Needs `uv` on PATH; Python downloads are disabled (UV_PYTHON_DOWNLOADS=never),
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.version_notes import ABSENT, PRESENT, PROBES, Probe, ProbeError, run_probe

DEFAULT_WORK = Path(".nox") / "version-notes"
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


def uv(*args: str) -> None:
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    done = subprocess.run(
        ["uv", *args], env=env, capture_output=True, text=True, check=False
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
        return run_probe(probe.source, str(python), timeout=120)
    except ProbeError as error:
        return f"error: {error}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.version_bisect", description=__doc__.split("\n\n")[0]
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
    args = parser.parse_args(argv)

    if shutil.which("uv") is None:
        parser.error("uv is not on PATH")
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
