"""Fuzz an app under a real uvicorn with schemathesis, and return what broke.

For each operation in the app's /openapi.json, schemathesis generates requests
(valid ones, then invalid ones: wrong types, unknown parameters, odd headers
and cookies), and Hypothesis runs them with a fixed seed, so a run is
repeatable. Then every GET and HEAD operation gets one valid request again with
each header from HOSTILE_HEADERS added: FileResponse and hand-written code read
headers such as Range or If-None-Match without declaring them, so schemathesis
alone would never send them.

Each response must pass schemathesis's `not_a_server_error` check (no 5xx),
arrive whole within TIME_CAP seconds and stay under SIZE_CAP bytes. The body is
read as it streams in and dropped past either cap, so an endless stream fails
instead of hanging. A connection the server breaks mid-body (what an exception
inside a streaming generator looks like to a client) fails too.

tests/e2e/test_fuzz_examples.py runs this on every example that does not start
its docstring with "Mistake:".
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup

from tools.servers import serve

ROOT = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024

SEED = 20261130  # one fixed seed: the same requests on every run
MAX_EXAMPLES = 10  # generated requests per operation and per mode (valid, invalid)
TIME_CAP = 5.0  # seconds for a whole response, body included
# A response over TIME_CAP is sent again with this cap; only a second slow
# answer counts. A bounded stream of 3,000 events took over 5 s twice in a
# row with the machine loaded (load average 8-12); an endless one is slow
# whatever the cap.
RETRY_TIME_CAP = 4 * TIME_CAP
# The largest example body is 1 MiB (the Performance page's streams and JSON).
SIZE_CAP = 2 * MiB
# An operation stops being fuzzed after this many distinct failures.
MAX_FAILURES_PER_OPERATION = 3

# Constants replaced before serving (tools/launch.py), for bodies whose cost
# does not depend on the request: the Performance page's 1 MiB stream of
# 64-byte lines takes about 10 s on a busy 2-core machine. A smaller body keeps
# the time cap small and still fuzzes every route the same way.
# The same holds for waits the server sets, not the client: the benchmark's
# slow streams wait SLOW_DELAY between chunks, and the live feed sends LIMIT
# events INTERVAL apart. Shorter waits fuzz the same inputs within the cap.
OVERRIDES: dict[str, dict[str, object]] = {
    "examples.performance.streaming_variants:app": {
        "LINES": 2048,
        # No wait at all: 3,000 chunks (the most a client may ask for) took
        # over 5 s at 0.1 ms apart with the machine loaded (load average 12).
        "SLOW_DELAY": 0.0,
    },
    "examples.server_sent_events.subscribers_cleanup:app": {
        "LIMIT": 100,
        "INTERVAL": 0.001,
    },
}

# Headers Starlette, FastAPI or an example read, with values a hostile or merely
# odd client sends. Each is sent alone, on a request that is otherwise valid.
HOSTILE_HEADERS: dict[str, list[str]] = {
    "Range": [
        "bytes=abc",
        "bytes=5-2",
        "bytes=-0",
        "bytes=0-" + "9" * 40,
        "bytes=" + "9" * 40 + "-",
        "items=0-5",
        "bytes=" + ",".join(["0-1"] * 2000),
    ],
    "If-Range": ["abc", '"not-the-etag"', "Mon, 99 Foo 2026 99:99:99 GMT"],
    "If-None-Match": ["*", ",,,", 'W/"', '"' + "x" * 4000 + '"'],
    "If-Modified-Since": ["yesterday", "Mon, 01 Jan 0001 00:00:00 GMT", "9" * 40],
    "Last-Event-ID": ["abc", "-1", "-99", "9" * 40, "1e3", "0x10", ""],
    "Accept-Encoding": ["gzip;q=abc", "*", "br, zstd, gzip;q=0, identity;q=0"],
}


@dataclass(frozen=True)
class Failure:
    """One response that broke a rule, with the request that caused it."""

    app: str  # "examples.page.name:app"
    operation: str  # "GET /ticks"
    kind: str  # "server error", "too slow", "too big", "broken" or "harness"
    problem: str  # what happened, in a sentence
    request: str  # a curl command that sends the same request

    def __str__(self) -> str:
        return f"{self.app} {self.operation}: {self.problem}\n    {self.request}"


@dataclass
class Outcome:
    status: int | None
    problem: str | None = None  # None: the response kept every rule
    kind: str = ""  # "server error", "too slow", "too big" or "broken"
    size: int = 0  # bytes of body received


def examples_to_fuzz(root: Path = ROOT) -> list[str]:
    """Every example app whose docstring does not start with "Mistake:"."""
    apps = []
    for path in sorted((root / "examples").rglob("*.py")):
        if path.name == "__init__.py":
            continue
        docstring = ast.get_docstring(ast.parse(path.read_text())) or ""
        if not docstring.startswith("Mistake:"):
            module = ".".join(path.relative_to(root).with_suffix("").parts)
            apps.append(f"{module}:app")
    return apps


def fuzz_app(
    app: str,
    max_examples: int = MAX_EXAMPLES,
    overrides: dict[str, object] | None = None,
) -> list[Failure]:
    """Serve `app` under uvicorn (tools/servers.py), fuzz it, stop it.

    `overrides` replaces module constants first, as serve() does; by default,
    the app's entry in OVERRIDES. The server may write bytecode even where
    PYTHONDONTWRITEBYTECODE is set: otherwise each of some fifty uvicorns
    compiles FastAPI, Starlette and Pydantic from source again, about a second
    of CPU each.
    """
    if overrides is None:
        overrides = OVERRIDES.get(app)
    with contextlib.ExitStack() as stack:
        for attempt in (1, 2):
            try:
                server = stack.enter_context(
                    serve(app, overrides=overrides, env={"PYTHONDONTWRITEBYTECODE": ""})
                )
                break
            except TimeoutError:
                # On a very busy machine uvicorn can miss serve()'s start
                # deadline; a second try tells that from an app that hangs.
                if attempt == 2:
                    raise
        return fuzz_url(server.url, app, max_examples=max_examples)


def fuzz_or_report(app: str) -> list[Failure]:
    """Fuzz one app; a harness error (say, uvicorn not starting) is a failure."""
    try:
        return fuzz_app(app)
    except Exception as error:  # noqa: BLE001 - reported as that app's failure
        return [Failure(app, "-", "harness", f"{type(error).__name__}: {error}", "")]


def fuzz_url(
    base_url: str, app: str, max_examples: int = MAX_EXAMPLES
) -> list[Failure]:
    with httpx2.Client(timeout=TIME_CAP) as client:
        openapi = client.get(f"{base_url}/openapi.json", timeout=4 * TIME_CAP)
        if openapi.status_code != 200:
            return [
                Failure(
                    app,
                    "GET /openapi.json",
                    "server error",
                    f"status {openapi.status_code}",
                    f"curl -i {base_url}/openapi.json",
                )
            ]
        schema = schemathesis.openapi.from_dict(
            openapi.json(), config=schemathesis.Config()
        )
        fuzzer = _Fuzzer(app, base_url, client)
        for result in schema.get_all_operations():
            operation = result.ok()
            fuzzer.fuzz(operation, max_examples)
        return fuzzer.failures


@dataclass
class _Fuzzer:
    app: str
    base_url: str
    client: httpx2.Client
    failures: list[Failure] = field(default_factory=list)

    def fuzz(self, operation: Any, max_examples: int) -> None:
        label = f"{operation.method.upper()} {operation.path}"
        found: dict[str, Failure] = {}  # the first failure of each kind
        valid: list[tuple[int, Any]] = []  # (body size, case) of each 2xx

        def probe(case: Any, hostile: bool = False) -> None:
            # A too slow or too big answer costs up to TIME_CAP each time: one
            # is enough. Other failures are cheap; keep looking for new kinds.
            if found.keys() & {"too slow", "too big"} or (
                len(found) >= MAX_FAILURES_PER_OPERATION
            ):
                return
            outcome = self.send(case)
            if outcome.kind == "too slow":
                # An endless or too long answer is slow every time; a busy
                # machine that stalls a quick one for TIME_CAP seldom does so
                # for four times as long. Only a second slow answer counts.
                outcome = self.send(case, RETRY_TIME_CAP)
            if outcome.problem is None:
                if outcome.status is not None and outcome.status < 300 and not hostile:
                    valid.append((outcome.size, case))
                return
            if outcome.kind not in found:
                found[outcome.kind] = Failure(
                    self.app, label, outcome.kind, outcome.problem, self.curl(case)
                )

        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for case in _generated(operation, mode, max_examples):
                probe(case)
        if operation.method.upper() in {"GET", "HEAD"}:
            # The valid request with the smallest answer, to keep this quick.
            base = min(valid, key=lambda pair: pair[0])[1] if valid else None
            if base is None:
                base = next(_generated(operation, GenerationMode.POSITIVE, 1), None)
            if base is not None:
                for name, values in HOSTILE_HEADERS.items():
                    for value in values:
                        headers = base.headers.copy()
                        headers[name] = value
                        probe(base.derive(headers=headers), hostile=True)
        self.failures += found.values()

    def curl(self, case: Any) -> str:
        return case.as_curl_command(base_url=self.base_url).replace(
            self.base_url, "http://127.0.0.1:8000"
        )

    def send(self, case: Any, time_cap: float = TIME_CAP) -> Outcome:
        """Send one case; stream its answer within the caps; run the 5xx check."""
        kwargs = case.as_transport_kwargs(base_url=self.base_url)
        try:
            prepared = requests.Request(
                method=kwargs["method"],
                url=kwargs["url"],
                headers=kwargs.get("headers"),
                params=kwargs.get("params"),
                cookies=kwargs.get("cookies"),
                data=kwargs.get("data"),
                json=kwargs.get("json"),
                files=kwargs.get("files"),
            ).prepare()
            # A fresh connection for each request: uvicorn closes one after a
            # 500, and a request sent on it in the meantime would be reset.
            prepared.headers["Connection"] = "close"
            headers = [
                (name.encode("latin-1"), str(value).encode("latin-1"))
                for name, value in prepared.headers.items()
            ]
        except (requests.exceptions.InvalidHeader, UnicodeEncodeError):
            return Outcome(None)  # no HTTP client would send this request
        body = (
            prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
        )
        kept = bytearray()
        size = 0
        start = time.monotonic()
        try:
            with self.client.stream(
                prepared.method or "GET",
                prepared.url or "",
                headers=headers,
                content=body,
            ) as response:
                for chunk in response.iter_raw():
                    size += len(chunk)
                    if len(kept) < 64 * 1024:
                        kept += chunk[: 64 * 1024 - len(kept)]
                    elapsed = time.monotonic() - start
                    if size > SIZE_CAP:
                        return Outcome(
                            response.status_code,
                            f"too big: over {SIZE_CAP} bytes, still streaming "
                            f"after {elapsed:.1f} s",
                            "too big",
                        )
                    if elapsed > time_cap:
                        return Outcome(
                            response.status_code,
                            f"too slow: no end within {time_cap} s, "
                            f"{size} bytes so far",
                            "too slow",
                        )
                status = response.status_code
                answer = schemathesis.Response(
                    status_code=status,
                    headers={k: [v] for k, v in response.headers.items()},
                    content=bytes(kept),
                    content_size=size,
                    request=prepared,
                    elapsed=time.monotonic() - start,
                    verify=True,
                    message=response.reason_phrase,
                )
        except httpx2.TimeoutException:
            return Outcome(
                None,
                f"too slow: {TIME_CAP} s without a byte, {size} bytes so far",
                "too slow",
            )
        except httpx2.HTTPError as error:
            return Outcome(
                None,
                f"broken: the connection closed mid-answer after {size} bytes "
                f"({type(error).__name__}: {error})",
                "broken",
            )
        try:
            case.validate_response(answer, checks=[not_a_server_error])
        except FailureGroup:
            excerpt = bytes(kept[:200]).decode("utf-8", "replace")
            return Outcome(
                status, f"server error: {status} {excerpt!r}", "server error"
            )
        return Outcome(status, size=size)


_GENERATING = threading.Lock()


def _generated(operation: Any, mode: GenerationMode, count: int) -> Iterator[Any]:
    """Up to `count` cases schemathesis generates for `operation`, seed fixed.

    Hypothesis runs a test that only collects the cases; they are sent after,
    so a slow or failing server never turns into a Hypothesis error.
    """
    cases: list[Any] = []

    @seed(SEED)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
    )
    @given(case=operation.as_strategy(mode))
    def collect(case: Any) -> None:
        cases.append(case)

    # An operation without parameters has nothing to make invalid. One thread
    # generates at a time: Hypothesis runs in two threads at once reported
    # flaky errors (the requests are still sent from several threads).
    with _GENERATING, contextlib.suppress(Unsatisfiable):
        collect()
    return iter(cases)


def main() -> None:
    """`python -m tests.fuzzing [APP ...]`: fuzz apps (all by default), print failures."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("apps", nargs="*", help="module:app, as uvicorn takes it")
    args = parser.parse_args()
    failures = [
        failure for app in args.apps or examples_to_fuzz() for failure in fuzz_app(app)
    ]
    for failure in failures:
        print(failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
