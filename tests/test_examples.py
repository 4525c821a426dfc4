"""Run every file under examples/ as a script; check its #> output and its lint.

`nox -s examples -- --update-examples` rewrites the #> lines and formatting in
place when behaviour changes on purpose.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample

from tests.consistency import example_files

ROOT = Path(__file__).resolve().parent.parent


class WholeFile(CodeExample):
    """A whole module, not a docstring snippet: keep PEP 8's two blank lines."""

    def in_py_file(self) -> bool:
        return False


@pytest.mark.parametrize(
    "path", example_files(ROOT), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_example(path: Path, eval_example: EvalExample) -> None:
    example = WholeFile.create(path.read_text(), path=path)
    eval_example.set_config(
        line_length=88,
        quotes="double",
        target_version="py311",
        isort=True,
        upgrade=True,
        ruff_select=["B", "SIM", "RUF"],
    )
    # Run as __main__ (so the try-it part runs) from its real location, so
    # examples that serve files next to them find those files.
    run_globals = {"__file__": str(path)}
    if eval_example.update_examples:
        eval_example.format(example)
        run = eval_example.run_print_update
    else:
        eval_example.lint(example)
        run = eval_example.run_print_check
    failure = None
    try:
        run(example, module_globals=run_globals)
    except Exception as exc:  # noqa: BLE001 - any failure is reported below
        # pytest-examples rewrites the traceback to point into the example;
        # on Python 3.11 pytest cannot render that traceback and stops with an
        # INTERNALERROR, so report the failing line ourselves, outside the
        # except block so the rewritten traceback is not chained.
        failure = example_failure(path, exc)
    if failure:
        pytest.fail(failure, pytrace=False)


def example_failure(path: Path, exc: BaseException) -> str:
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).stem.startswith(path.stem):
            line = tb.tb_lineno
        tb = tb.tb_next
    where = f"{path.relative_to(ROOT).as_posix()}:{line}" if line else str(path)
    return f"{where} raised {type(exc).__name__}: {exc}"


def test_examples_were_found() -> None:
    assert len(example_files(ROOT)) >= 2


def test_python_dash_m_prints_what_the_page_shows() -> None:
    """`python -m examples.<page>.<name>` runs the try-it part, as the pages say."""
    path = ROOT / "examples" / "index" / "typed_items.py"
    shown = [
        line.strip().removeprefix("#> ")
        for line in path.read_text().splitlines()
        if line.strip().startswith("#>")
    ]

    run = subprocess.run(
        [sys.executable, "-m", "examples.index.typed_items"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert run.stdout.splitlines() == shown
