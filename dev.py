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
import venv

# Only the standard-library part of the settings loader: this runs on a bare
# Python, before anything is installed.
from tools.settings import CONSTRAINTS, ROOT, apply_environment, group

RUNNER = ROOT / ".runner"
BIN = RUNNER / ("Scripts" if os.name == "nt" else "bin")
STAMP = RUNNER / "pins.txt"


def ensure_runner() -> None:
    pins = group("runner")
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
            CONSTRAINTS,
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
    apply_environment(env)  # tools/settings.py ENVIRONMENT
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.call([BIN / "nox", *sys.argv[1:]], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
