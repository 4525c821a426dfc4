"""The "Since <package> <version>" notes on the pages, and probes that keep them honest.

A page may carry an admonition such as `!!! note "Since FastAPI 0.134"`. Each
(package, version) claim in such a title must have a probe in `PROBES`: a
self-contained Python source that, run by some interpreter, prints exactly one
word, "present" or "absent", for the behaviour the note describes. A probe
that sees only part of the behaviour prints "mixed", which never matches.

- tests/test_version_notes.py runs every probe with the interpreter running the
  tests: where the installed package is at least the note's version the probe
  must print "present", and "absent" where it is older.
- tests/version_bisect.py installs, for each claim, the release that note names
  and the release just before it, and requires "absent" then "present".

Probes import only what the environment under test has: fastapi, starlette,
pydantic, httpx2 or httpx; none needs orjson.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

PRESENT = "present"
ABSENT = "absent"

# `!!! note "Since FastAPI 0.130"`, also `???`/`???+` (collapsible) admonitions.
ADMONITION_TITLE = re.compile(
    r'^\s*(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+[\w-]+)*\s+"(?P<title>Since\b[^"]*)"'
)
# One claim: "FastAPI 0.134", "Starlette 0.39.0", or a bare "1.0" that reuses
# the package named before it ("Since Starlette 0.39 and 1.0").
CLAIM = re.compile(r"^(?:(?P<package>[A-Za-z][\w-]*)\s+)?(?P<version>\d+(?:\.\d+)+)$")
CLAIM_SEPARATOR = re.compile(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+)\s*")


def version_key(version: str) -> tuple[int, ...]:
    """`"0.130"` and `"0.130.0"` compare equal; only plain numeric releases."""
    parts = [int(part) for part in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


@dataclass(frozen=True)
class Probe:
    """How to tell whether the behaviour a note dates is there."""

    package: str
    version: str  # as the pages write it: "0.130"
    behaviour: str  # one line, for reports
    source: str  # prints "present", "absent" or "mixed"
    at: str  # the exact release that introduced it
    before: str  # the release just before `at` (checked once, see /tmp/versions)
    # Extra requirements for tests/version_bisect.py, on top of the package itself.
    needs: tuple[str, ...] = ()

    @property
    def claim(self) -> tuple[str, str]:
        return (self.package, self.version)

    @property
    def label(self) -> str:
        return f"{self.package}:{self.version}"


@dataclass(frozen=True)
class Note:
    page: str  # relative to the project root, e.g. "docs/index.md"
    line: int
    title: str
    claims: tuple[tuple[str, str], ...]  # (package, version); empty if unreadable

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


# Versions the bisect script installs next to the package under test. The
# probes run TestClient, which needs httpx2 (Starlette >= 1.2) or httpx.
HTTP_CLIENTS = ("httpx2==2.16.2", "httpx==0.28.1")
FASTAPI_NEEDS = ("pydantic==2.14.3", *HTTP_CLIENTS)
STARLETTE_NEEDS = HTTP_CLIENTS

# Every probe ends by printing verdict(facts): present when every fact holds,
# absent when none does, mixed otherwise.
VERDICT = """
def verdict(*facts):
    if all(facts):
        print("present")
    elif not any(facts):
        print("absent")
    else:
        print("mixed")
"""


def _probe_source(body: str) -> str:
    return VERDICT + dedent(body)


FASTAPI_0_130 = _probe_source(
    """
    # A route typed -> dict[str, float] that returns NaN: serialized by Pydantic
    # to JSON bytes it answers 200 {"x":null}; through JSONResponse (before
    # 0.130) json.dumps(allow_nan=False) raises and the answer is a 500.
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.get("/nan")
    def nan() -> dict[str, float]:
        return {"x": float("nan")}

    response = TestClient(app, raise_server_exceptions=False).get("/nan")
    if response.status_code not in (200, 500):
        raise SystemExit(f"unexpected status {response.status_code}")
    verdict(response.status_code == 200 and response.json() == {"x": None})
    """
)

FASTAPI_0_131 = _probe_source(
    """
    # ORJSONResponse and UJSONResponse warn when built, and the "all" extra no
    # longer lists orjson or ujson. The warning comes before the check that
    # orjson/ujson is installed, so neither library is needed here.
    import importlib.metadata
    import re
    import warnings

    from fastapi import responses

    def warns(name):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                getattr(responses, name)({"a": 1})
            except (AssertionError, ImportError):
                pass  # orjson / ujson not installed
        return any(
            w.category.__name__ == "FastAPIDeprecationWarning" for w in caught
        )

    in_all_extra = [
        req
        for req in importlib.metadata.requires("fastapi") or []
        if re.match(r"(orjson|ujson)\\b", req) and "all" in req.partition(";")[2]
    ]
    verdict(warns("ORJSONResponse"), warns("UJSONResponse"), not in_all_extra)
    """
)

FASTAPI_0_134 = _probe_source(
    """
    # A path operation that yields: JSON Lines without a response_class, raw
    # chunks with response_class=StreamingResponse. Before: one JSON list, and
    # a 500.
    from fastapi import FastAPI
    from fastapi.responses import StreamingResponse
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.get("/rows")
    def rows():
        yield {"a": 1}
        yield {"b": 2}

    @app.get("/raw", response_class=StreamingResponse)
    async def raw():
        yield "chunk1,"
        yield b"chunk2"

    client = TestClient(app, raise_server_exceptions=False)
    rows_response = client.get("/rows")
    raw_response = client.get("/raw")
    verdict(
        rows_response.headers["content-type"] == "application/jsonl"
        and rows_response.text == '{"a": 1}\\n{"b": 2}\\n',
        raw_response.status_code == 200 and raw_response.text == "chunk1,chunk2",
    )
    """
)

FASTAPI_0_135 = _probe_source(
    """
    # fastapi.sse exists; an EventSourceResponse route streams text/event-stream
    # and sends ": ping" comments while the generator is quiet.
    import asyncio

    try:
        import fastapi.sse  # noqa: F401
    except ModuleNotFoundError:
        verdict(False)
        raise SystemExit(0)

    import fastapi.routing
    from fastapi import FastAPI
    from fastapi.sse import EventSourceResponse, ServerSentEvent
    from fastapi.testclient import TestClient

    fastapi.routing._PING_INTERVAL = 0.05  # the default is 15 seconds

    app = FastAPI()

    @app.get("/events", response_class=EventSourceResponse)
    async def events():
        yield {"n": 1}
        await asyncio.sleep(0.3)
        yield ServerSentEvent(data="hi", event="greet", id="2")

    response = TestClient(app).get("/events")
    body = response.text
    verdict(
        response.status_code == 200
        and response.headers["content-type"].startswith("text/event-stream")
        and body.startswith('data: {"n": 1}\\n\\n')
        and body.endswith('event: greet\\ndata: "hi"\\nid: 2\\n\\n'),
        ": ping\\n\\n" in body,
    )
    """
)

FASTAPI_0_135_1 = _probe_source(
    """
    # An endless EventSourceResponse feed behind a raw ASGI harness, run the
    # way a server declaring ASGI spec 2.4 (uvicorn) runs it: send() fails with
    # OSError once the client has left. 0.135.0 closed the stream's generator
    # from another task: anyio raised "Attempted to exit cancel scope in a
    # different task" and the stray cancel landed in the server's own task.
    import asyncio
    import gc

    try:
        from fastapi.sse import EventSourceResponse
    except ModuleNotFoundError:  # no fastapi.sse at all: older still
        verdict(False)
        raise SystemExit(0)

    from fastapi import FastAPI

    app = FastAPI()
    closed = []
    errors = []

    @app.get("/feed", response_class=EventSourceResponse)
    async def feed():
        try:
            number = 0
            while True:
                number += 1
                yield number
        finally:
            closed.append(True)

    def keep(loop, context):
        errors.append(context.get("exception") or context["message"])

    async def leave_after_first_event(spec_version):
        asyncio.get_running_loop().set_exception_handler(keep)
        bodies = []

        async def receive():
            await asyncio.sleep(3600)

        async def send(message):
            if message["type"] == "http.response.body" and message.get("body"):
                bodies.append(message["body"])
                if len(bodies) > 1:
                    raise OSError("client gone")

        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": spec_version},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/feed",
            "raw_path": b"/feed",
            "query_string": b"",
            "root_path": "",
            "headers": [],
            "server": ("testserver", 80),
            "client": ("testclient", 50000),
        }
        try:
            await asyncio.wait_for(app(scope, receive, send), 10)
        except Exception as error:  # ClientDisconnect / OSError (in a group)
            if "cancel scope" in str(error):
                errors.append(error)
        try:
            gc.collect()  # finalize the abandoned generator now, in this loop
            for _ in range(20):
                await asyncio.sleep(0)
        except asyncio.CancelledError as error:  # 0.135.0: the stray cancel
            errors.append(error)
        if bodies[0] != b"data: 1\\n\\n":
            raise SystemExit(f"first event {bodies[0]!r}")

    for spec_version in ("2.4", "2.3"):
        asyncio.run(leave_after_first_event(spec_version))
    cancel_scope = [e for e in errors if "cancel scope" in str(e)]
    if len(cancel_scope) != len(errors) or closed != [True, True]:
        raise SystemExit(f"unexpected: errors {errors!r}, generator closed {closed}")
    verdict(not cancel_scope)
    """
)

FASTAPI_0_164 = _probe_source(
    """
    # FastAPI's own metadata asks for Starlette 1.6 or newer.
    import importlib.metadata
    import re

    minimums = []
    for req in importlib.metadata.requires("fastapi") or []:
        spec, _, marker = req.partition(";")
        if re.match(r"starlette\\b", spec.strip()) and not marker.strip():
            minimums += [
                tuple(int(p) for p in m.split("."))
                for m in re.findall(r">=\\s*(\\d+(?:\\.\\d+)*)", spec)
            ]
    if not minimums:
        raise SystemExit("fastapi declares no Starlette minimum")
    verdict(max(minimums) >= (1, 6))
    """
)

STARLETTE_RANGE_APP = """
    import os
    import tempfile

    from starlette.responses import FileResponse
    from starlette.testclient import TestClient

    directory = tempfile.mkdtemp()
    path = os.path.join(directory, "sixteen.txt")
    with open(path, "wb") as f:
        f.write(b"0123456789abcdef")

    async def app(scope, receive, send):  # HTTP only: TestClient without `with`
        await FileResponse(path)(scope, receive, send)

    client = TestClient(app)
    etag = client.get("/").headers["etag"]
    single = client.get("/", headers={"Range": "bytes=0-3"})
    multi = client.get("/", headers={"Range": "bytes=0-1,4-5"})
    beyond = client.get("/", headers={"Range": "bytes=100-200"})
    if_range_match = client.get("/", headers={"Range": "bytes=0-3", "If-Range": etag})
    if_range_stale = client.get("/", headers={"Range": "bytes=0-3", "If-Range": '"stale"'})
    os.remove(path)
    os.rmdir(directory)
"""

STARLETTE_0_39 = _probe_source(
    STARLETTE_RANGE_APP
    + """
    # Before 0.39 every Range request got 200 and the whole file.
    verdict(
        single.status_code == 206
        and single.headers.get("content-range") == "bytes 0-3/16"
        and single.content == b"0123",
        beyond.status_code == 416,
        if_range_match.status_code == 206,
        multi.status_code == 206,
    )
    if if_range_stale.status_code != 200:
        raise SystemExit("a stale If-Range must get the whole file")
    """
)

STARLETTE_1_0 = _probe_source(
    STARLETTE_RANGE_APP
    + """
    # Since 1.0 several ranges come back as multipart/byteranges and a 416 says
    # "bytes */16"; 0.39-0.52 put the boundary in Content-Range and sent "*/16".
    if single.status_code != 206:
        verdict(False)  # no Range support at all: older still
        raise SystemExit(0)
    verdict(
        multi.status_code == 206
        and multi.headers["content-type"].startswith("multipart/byteranges; boundary="),
        beyond.status_code == 416 and beyond.headers.get("content-range") == "bytes */16",
    )
    """
)

STARLETTE_0_42 = _probe_source(
    """
    # A raw ASGI harness: receive() counts its calls and never returns, send()
    # fails with OSError on the first body chunk, as a socket to a client that
    # left would. Spec 2.4: no disconnect listener, OSError -> ClientDisconnect.
    # Below 2.4, or with no spec_version, StreamingResponse keeps listening.
    import asyncio

    from starlette.requests import ClientDisconnect
    from starlette.responses import StreamingResponse

    async def run(spec_version):
        calls = 0

        async def receive():
            nonlocal calls
            calls += 1
            await asyncio.sleep(3600)

        async def send(message):
            if message["type"] == "http.response.body" and message.get("body"):
                raise OSError("client gone")

        async def chunks():
            yield b"a"
            yield b"b"

        asgi = {"version": "3.0"}
        if spec_version:
            asgi["spec_version"] = spec_version
        scope = {"type": "http", "asgi": asgi, "method": "GET", "path": "/",
                 "headers": []}
        try:
            await asyncio.wait_for(StreamingResponse(chunks())(scope, receive, send), 10)
            outcome = "completed"
        except ClientDisconnect:
            outcome = "ClientDisconnect"
        except BaseException as error:  # ExceptionGroup / OSError before 0.42
            outcome = type(error).__name__
        return calls, outcome

    listens = [asyncio.run(run(spec))[0] > 0 for spec in (None, "2.3")]
    if not all(listens):
        raise SystemExit("below spec 2.4 StreamingResponse must listen for disconnect")
    calls, outcome = asyncio.run(run("2.4"))
    verdict(calls == 0, outcome == "ClientDisconnect")
    """
)

STARLETTE_1_2 = _probe_source(
    """
    # With httpx2 hidden and httpx installed, importing starlette.testclient
    # emits StarletteDeprecationWarning. Before 1.2 it used httpx silently.
    import sys
    import warnings

    import httpx  # noqa: F401  (the fallback must be there)

    sys.modules["httpx2"] = None  # import httpx2 now raises ImportError
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import starlette.testclient  # noqa: F401
    verdict(any(w.category.__name__ == "StarletteDeprecationWarning" for w in caught))
    """
)


PROBES: dict[tuple[str, str], Probe] = {
    probe.claim: probe
    for probe in (
        Probe(
            "fastapi",
            "0.130",
            "a -> dict[str, float] route returning NaN answers 200 null, not 500",
            FASTAPI_0_130,
            at="0.130.0",
            before="0.129.2",
            needs=FASTAPI_NEEDS,
        ),
        Probe(
            "fastapi",
            "0.131",
            "ORJSONResponse/UJSONResponse warn FastAPIDeprecationWarning; "
            "orjson/ujson gone from the [all] extra",
            FASTAPI_0_131,
            at="0.131.0",
            before="0.130.0",
            needs=FASTAPI_NEEDS,
        ),
        Probe(
            "fastapi",
            "0.134",
            "a yielding path operation sends application/jsonl; with "
            "response_class=StreamingResponse raw chunks",
            FASTAPI_0_134,
            at="0.134.0",
            before="0.133.1",
            needs=FASTAPI_NEEDS,
        ),
        Probe(
            "fastapi",
            "0.135",
            "fastapi.sse imports; an EventSourceResponse route streams "
            "text/event-stream with : ping keep-alives",
            FASTAPI_0_135,
            at="0.135.0",
            before="0.134.0",
            needs=FASTAPI_NEEDS,
        ),
        Probe(
            "fastapi",
            "0.135.1",
            "an SSE feed the client leaves shuts down without anyio's "
            "cancel-scope RuntimeError",
            FASTAPI_0_135_1,
            at="0.135.1",
            before="0.135.0",
            needs=FASTAPI_NEEDS,
        ),
        Probe(
            "fastapi",
            "0.164",
            "fastapi's metadata requires starlette>=1.6",
            FASTAPI_0_164,
            at="0.164.0",
            before="0.163.2",
            needs=FASTAPI_NEEDS,
        ),
        Probe(
            "starlette",
            "0.39",
            "FileResponse answers Range with 206, unsatisfiable with 416, honours If-Range",
            STARLETTE_0_39,
            at="0.39.0",
            before="0.38.6",
            needs=STARLETTE_NEEDS,
        ),
        Probe(
            "starlette",
            "0.42",
            "StreamingResponse under ASGI spec 2.4 never calls receive(); "
            "OSError -> ClientDisconnect",
            STARLETTE_0_42,
            at="0.42.0",
            before="0.41.3",
            needs=STARLETTE_NEEDS,
        ),
        Probe(
            "starlette",
            "1.0",
            "multi-range answer is multipart/byteranges; 416 says bytes */N",
            STARLETTE_1_0,
            at="1.0.0",
            before="0.52.1",
            needs=STARLETTE_NEEDS,
        ),
        Probe(
            "starlette",
            "1.2",
            "starlette.testclient with httpx only (httpx2 blocked) warns "
            "StarletteDeprecationWarning",
            STARLETTE_1_2,
            at="1.2.0",
            before="1.1.0",
            needs=STARLETTE_NEEDS,
        ),
    )
}


def parse_claims(title: str) -> tuple[tuple[str, str], ...]:
    """ "Since Starlette 0.39 and 1.0" -> (("starlette", "0.39"), ("starlette", "1.0")).

    Returns () when the title does not read as package/version claims.
    """
    rest = title.removeprefix("Since").strip()
    claims = []
    package = None
    for part in CLAIM_SEPARATOR.split(rest):
        match = CLAIM.match(part.strip())
        if not match:
            return ()
        package = (match["package"] or package or "").lower()
        if not package:
            return ()
        claims.append((package, match["version"]))
    return tuple(claims)


def notes_on_pages(root: Path) -> list[Note]:
    """Every admonition under docs/ whose title starts with "Since"."""
    notes = []
    for page in sorted((root / "docs").rglob("*.md")):
        relative = page.relative_to(root).as_posix()
        for number, line in enumerate(page.read_text().splitlines(), start=1):
            if match := ADMONITION_TITLE.match(line):
                title = match["title"]
                notes.append(Note(relative, number, title, parse_claims(title)))
    return notes


def _find(registry: Mapping[tuple[str, str], Probe], claim: tuple[str, str]):
    package, version = claim
    for probe in registry.values():
        if probe.package == package and version_key(probe.version) == version_key(
            version
        ):
            return probe
    return None


def registry_problems(
    notes: Iterable[Note], registry: Mapping[tuple[str, str], Probe] = PROBES
) -> list[str]:
    """Unreadable titles, claims without a probe, and probes no page uses."""
    problems = []
    used = set()
    for note in notes:
        if not note.claims:
            problems.append(
                f'{note.where}: cannot read "{note.title}" as '
                '"Since <Package> <version> [and <version>]"'
            )
        for claim in note.claims:
            probe = _find(registry, claim)
            if probe is None:
                problems.append(
                    f'{note.where}: "{note.title}" claims {claim[0]} {claim[1]}, '
                    "which has no probe in tests/version_notes.py PROBES"
                )
            else:
                used.add(probe.claim)
    for key, probe in registry.items():
        if probe.claim not in used:
            problems.append(
                f"PROBES[{key!r}] ({probe.behaviour}) is not claimed by any note"
            )
    return problems


class ProbeError(RuntimeError):
    pass


def run_probe(source: str, python: str = sys.executable, timeout: float = 60) -> str:
    """Run a probe's source with `python` (isolated mode) and return its one word."""
    try:
        done = subprocess.run(
            [python, "-I", "-c", source],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ProbeError(f"probe timed out after {timeout} s") from error
    words = done.stdout.split()
    if done.returncode != 0 or len(words) != 1:
        raise ProbeError(
            f"probe exited {done.returncode} printing {done.stdout.strip()!r}\n"
            f"{done.stderr.strip()}"
        )
    return words[0]


def installed_versions(python: str = sys.executable) -> dict[str, str]:
    """Versions of fastapi and starlette that `python` sees (absent ones left out)."""
    code = dedent(
        """
        import importlib.metadata, json
        found = {}
        for name in ("fastapi", "starlette"):
            try:
                found[name] = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                pass
        print(json.dumps(found))
        """
    )
    done = subprocess.run(
        [python, "-I", "-c", code], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def expected(installed: str, claimed: str) -> str:
    return PRESENT if version_key(installed) >= version_key(claimed) else ABSENT


def probe_results(
    probes: Iterable[Probe],
    python: str = sys.executable,
    run: Callable[[str, str], str] = run_probe,
) -> dict[tuple[str, str], str]:
    """Run probes in parallel; a probe that fails gives "error: <why>"."""
    unique = {probe.claim: probe for probe in probes}

    def one(probe: Probe) -> str:
        try:
            return run(probe.source, python)
        except ProbeError as error:
            return f"error: {error}"

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(unique, pool.map(one, unique.values()), strict=True))


def version_problems(
    notes: Iterable[Note],
    registry: Mapping[tuple[str, str], Probe] = PROBES,
    python: str = sys.executable,
    installed: Mapping[str, str] | None = None,
) -> list[str]:
    """A note is wrong when its probe disagrees with the installed version.

    Installed package >= the note's version: the probe must print "present";
    older: "absent". Claims without a probe are left to registry_problems.
    """
    notes = list(notes)
    installed = installed_versions(python) if installed is None else installed
    wanted = [
        (note, claim, probe)
        for note in notes
        for claim in note.claims
        if (probe := _find(registry, claim)) is not None
    ]
    results = probe_results((probe for _, _, probe in wanted), python)
    problems = []
    for note, (package, version), probe in wanted:
        if package not in installed:
            problems.append(f"{note.where}: {package} is not installed in {python}")
            continue
        want = expected(installed[package], version)
        got = results[probe.claim]
        if got != want:
            problems.append(
                f'{note.where}: "{note.title}" with {package} {installed[package]} '
                f"installed: expected {want} ({probe.behaviour}), probe says {got}"
            )
    return problems
