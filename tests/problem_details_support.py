"""A function that the Problem details example's "Try it" part defines, loaded
to test it alone (tests/test_problem_details.py, tests/e2e/test_problem_details_real.py)."""

from __future__ import annotations

import contextlib
import io
import runpy
from typing import Any

from examples.problem_details import problem_json


def from_try_it(name: str) -> Any:
    """A function that the example's "Try it" part defines."""
    with contextlib.redirect_stdout(io.StringIO()):
        return runpy.run_path(problem_json.__file__, run_name="__main__")[name]


describe = from_try_it("describe")
