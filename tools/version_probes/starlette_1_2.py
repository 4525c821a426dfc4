"""Starlette 1.2: TestClient is built on httpx2; with only httpx it warns.

With httpx2 and httpx both installed, starlette.testclient uses httpx2 (before,
1.1.0: httpx). With httpx2 unavailable, importing starlette.testclient emits
StarletteDeprecationWarning (before: nothing), and TestClient still works on
httpx (in both).
"""

import subprocess
import sys

from _verdict import verdict

WITH_BOTH = """
import starlette.testclient
print(starlette.testclient.httpx.__name__)
"""
HTTPX_ONLY = """
import sys
import warnings

import httpx  # the fallback must be there

sys.modules["httpx2"] = None  # import httpx2 now raises ImportError
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import starlette.testclient
from starlette.responses import PlainTextResponse

warned = any(w.category.__name__ == "StarletteDeprecationWarning" for w in caught)
response = starlette.testclient.TestClient(PlainTextResponse("hi")).get("/")
print(warned, response.status_code, response.text)
"""


def run(code):
    done = subprocess.run(
        [sys.executable, "-I", "-W", "ignore::DeprecationWarning", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


warned, status, text = run(HTTPX_ONLY)
verdict(
    (
        "HTTP client of TestClient, both installed",
        run(WITH_BOTH),
        ["httpx"],
        ["httpx2"],
    ),
    ("httpx only: StarletteDeprecationWarning on import", warned, "False", "True"),
    ("httpx only: a request still works", (status, text), ("200", "hi"), ("200", "hi")),
)
