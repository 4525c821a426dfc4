"""Run the guide's nox sessions on a machine that has only Python 3.11.5+.

    python3 dev.py              # every check (what CI runs)
    python3 dev.py -s serve     # build the site and serve it at http://127.0.0.1:8000

The first call creates .runner/, a virtual environment holding the pinned nox
and uv from pyproject.toml's "runner" group; later calls reuse it. Any
arguments are handed to nox unchanged.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
RUNNER = ROOT / ".runner"
BIN = RUNNER / ("Scripts" if os.name == "nt" else "bin")
STAMP = RUNNER / "pins.txt"


def runner_pins() -> list[str]:
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]
    return list(groups["runner"])


def ensure_runner() -> None:
    pins = runner_pins()
    wanted = "\n".join(pins)
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print(f"dev.py: installing {', '.join(pins)} into {RUNNER.name}/", flush=True)
    venv.create(RUNNER, with_pip=True, clear=True)
    subprocess.run(
        [
            BIN / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            ROOT / "requirements" / "constraints.txt",
            *pins,
        ],
        check=True,
    )
    STAMP.write_text(wanted)


def main() -> int:
    if sys.version_info < (3, 11, 5):
        sys.exit("dev.py needs Python 3.11.5 or newer")
    ensure_runner()
    env = dict(os.environ)
    # uv must use the Pythons already on this machine, never download one.
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.call([BIN / "nox", *sys.argv[1:]], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
