"""Small project trees for the consistency checks' own tests.

`make_tree` writes a minimal project (one page, one example, its test) that
passes every check of tests/consistency.py; each test then breaks one thing.
"""

from __future__ import annotations

from pathlib import Path

from tests import consistency

GOOD_EXAMPLE = '''\
"""A tiny app."""

# --8<-- [start:app]
from fastapi import FastAPI

app = FastAPI()
# --8<-- [end:app]

if __name__ == "__main__":
    # --8<-- [start:try_it]
    print("hi")
    # --8<-- [end:try_it]
'''

GOOD_PAGE = """\
# Demo

```python
--8<-- "examples/demo/tiny.py:app"
```

```python
--8<-- "examples/demo/tiny.py:try_it"
```

Serve it with `uvicorn examples.demo.tiny:app`.

--8<-- "docs/tested-with.txt"
"""

GOOD_TEST = "from examples.demo import tiny\n"


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def all_problems(root: Path) -> list[str]:
    return [problem for check in consistency.REPO_CHECKS for problem in check(root)]


def make_tree(root: Path) -> Path:
    """A minimal project that passes every check; tests break one thing each."""
    write(root, "examples/demo/tiny.py", GOOD_EXAMPLE)
    write(root, "docs/demo.md", GOOD_PAGE)
    write(root, "tests/test_demo.py", GOOD_TEST)
    write(root, "docs/tested-with.txt", '!!! info "Tested with"\n    FastAPI\n')
    return root
