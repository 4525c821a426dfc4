"""The "Since <package> <version>" entries of the Versions page, and the probes that keep them honest.

docs/versions.md holds one entry per behaviour the guide depends on, each a
heading such as `## Since FastAPI 0.134 { #fastapi-0.134 }`. Each (package,
version) claim in such a heading must have a probe in `PROBES`: a Python file
under tools/version_probes/ that, run by some interpreter, prints exactly one
word: "present" when it sees every part of the behaviour the entry describes
for that release and later, "absent" when it sees every part of the behaviour
the entry describes for the release before, "mixed" otherwise (never a match).
See tools/version_probes/_verdict.py.

Other pages keep at most a one-line pointer to an entry: an admonition titled
"Since ..." whose body is one line linking to `versions.md#<anchor>` of an
entry with the same claims.

- tests/test_version_notes.py runs every probe with the interpreter running the
  tests: where the installed package is at least the entry's version the probe
  must print "present", and "absent" where it is older.
- tools/version_bisect.py installs, for each claim, the release that entry names
  and the release just before it, and requires "absent" then "present".

Probes import only what the environment under test has: fastapi, starlette,
pydantic, httpx2 or httpx, and uvicorn for the one that runs a real server;
none needs orjson.
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
PROBES_DIR = Path(__file__).resolve().parent / "version_probes"
VERSIONS_PAGE = "docs/versions.md"

# An entry of the Versions page: `## Since FastAPI 0.134 { #fastapi-0.134 }`.
ENTRY_HEADING = re.compile(
    r"^##\s+(?P<title>Since\b[^{]*?)\s*(?:\{[^}]*?#(?P<anchor>[\w.-]+)[^}]*\})?\s*$"
)
# A pointer elsewhere: `!!! note "Since FastAPI 0.130"`, also `???`/`???+`.
ADMONITION_TITLE = re.compile(
    r'^\s*(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+[\w-]+)*\s+"(?P<title>Since\b[^"]*)"'
)
VERSIONS_LINK = re.compile(r"\(versions\.md#(?P<anchor>[\w.-]+)\)")
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
    """How to tell whether the behaviour an entry dates is there."""

    package: str
    version: str  # as the page writes it: "0.130"
    behaviour: str  # one line, for reports
    script: str  # file name under tools/version_probes/
    at: str  # the exact release that introduced it
    before: str  # the release just before `at`
    # Extra requirements for tools/version_bisect.py, on top of the package itself.
    needs: tuple[str, ...] = ()

    @property
    def claim(self) -> tuple[str, str]:
        return (self.package, self.version)

    @property
    def label(self) -> str:
        return f"{self.package}:{self.version}"

    @property
    def path(self) -> Path:
        return PROBES_DIR / self.script


@dataclass(frozen=True)
class Note:
    """An entry of the Versions page (or, in pointers_on_pages, a pointer)."""

    page: str  # relative to the project root, e.g. "docs/versions.md"
    line: int
    title: str
    claims: tuple[tuple[str, str], ...]  # (package, version); empty if unreadable
    anchor: str = ""  # the entry's id; for a pointer, the anchor it links to

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


# Versions the bisect script installs next to the package under test. The
# probes run TestClient, which needs httpx2 (Starlette >= 1.2) or httpx.
HTTP_CLIENTS = ("httpx2==2.16.2", "httpx==0.28.1")
FASTAPI_NEEDS = ("pydantic==2.14.3", *HTTP_CLIENTS)
STARLETTE_NEEDS = HTTP_CLIENTS
# The 0.135.1 entry names the uvicorn and Starlette it was seen with: pin both.
REAL_SERVER_NEEDS = (*FASTAPI_NEEDS, "starlette==1.10.0", "uvicorn==0.54.0")

PROBES: dict[tuple[str, str], Probe] = {
    probe.claim: probe
    for probe in (
        Probe(
            "fastapi",
            "0.130",
            "a typed route skips JSONResponse: NaN answers 200 null, not 500",
            "fastapi_0_130.py",
            at="0.130.0",
            before="0.129.2",
            needs=FASTAPI_NEEDS,
        ),
        Probe(
            "fastapi",
            "0.131",
            "ORJSONResponse/UJSONResponse warn FastAPIDeprecationWarning; "
            "orjson/ujson gone from the [all] extra, never in [standard]",
            "fastapi_0_131.py",
            at="0.131.0",
            before="0.130.0",
            needs=FASTAPI_NEEDS,
        ),
        Probe(
            "fastapi",
            "0.134",
            "def and async generator path operations stream: JSON Lines, or raw "
            "chunks with StreamingResponse; -> AsyncIterable[Item] is accepted",
            "fastapi_0_134.py",
            at="0.134.0",
            before="0.133.1",
            needs=FASTAPI_NEEDS,
        ),
        Probe(
            "fastapi",
            "0.135",
            "fastapi.sse imports; an EventSourceResponse route streams "
            "text/event-stream with : ping keep-alives",
            "fastapi_0_135.py",
            at="0.135.0",
            before="0.134.0",
            needs=FASTAPI_NEEDS,
        ),
        Probe(
            "fastapi",
            "0.135.1",
            "real uvicorn: a client leaving a never-awaiting SSE feed gets "
            "BrokenResourceError logged (0.135.0: nothing)",
            "fastapi_0_135_1.py",
            at="0.135.1",
            before="0.135.0",
            needs=REAL_SERVER_NEEDS,
        ),
        Probe(
            "fastapi",
            "0.164",
            "fastapi's metadata requires starlette>=1.6",
            "fastapi_0_164.py",
            at="0.164.0",
            before="0.163.2",
            needs=FASTAPI_NEEDS,
        ),
        Probe(
            "starlette",
            "0.39",
            "FileResponse answers Range with 206, unsatisfiable with 416, honours If-Range",
            "starlette_0_39.py",
            at="0.39.0",
            before="0.38.6",
            needs=STARLETTE_NEEDS,
        ),
        Probe(
            "starlette",
            "0.42",
            "StreamingResponse under ASGI spec 2.4 never calls receive(); "
            "OSError -> ClientDisconnect",
            "starlette_0_42.py",
            at="0.42.0",
            before="0.41.3",
            needs=STARLETTE_NEEDS,
        ),
        Probe(
            "starlette",
            "1.0",
            "multi-range answer is multipart/byteranges with CRLF; 416 says bytes */N",
            "starlette_1_0.py",
            at="1.0.0",
            before="0.52.1",
            needs=STARLETTE_NEEDS,
        ),
        Probe(
            "starlette",
            "1.2",
            "TestClient uses httpx2; with httpx only it warns "
            "StarletteDeprecationWarning and still works",
            "starlette_1_2.py",
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
    """Every entry of the Versions page: a `## Since ...` heading."""
    page = root / VERSIONS_PAGE
    if not page.exists():
        return []
    notes = []
    for number, line in enumerate(page.read_text().splitlines(), start=1):
        if match := ENTRY_HEADING.match(line):
            title = match["title"]
            notes.append(
                Note(
                    VERSIONS_PAGE,
                    number,
                    title,
                    parse_claims(title),
                    match["anchor"] or "",
                )
            )
    return notes


@dataclass(frozen=True)
class Pointer:
    """A "Since ..." admonition on a page: a one-line link to Versions entries."""

    note: Note
    body: tuple[str, ...]  # the admonition's lines, indented
    anchors: tuple[str, ...]  # versions.md#<anchor> links in the body


def pointers_on_pages(root: Path) -> list[Pointer]:
    """Every "Since ..." admonition under docs/, with its body and links."""
    found = []
    for page in sorted((root / "docs").rglob("*.md")):
        relative = page.relative_to(root).as_posix()
        lines = page.read_text().splitlines()
        for index, line in enumerate(lines):
            if match := ADMONITION_TITLE.match(line):
                body = []
                for following in lines[index + 1 :]:
                    if following.strip() and not following.startswith("    "):
                        break
                    body.append(following)
                while body and not body[-1].strip():
                    body.pop()
                title = match["title"]
                note = Note(relative, index + 1, title, parse_claims(title))
                anchors = tuple(VERSIONS_LINK.findall(" ".join(body)))
                found.append(Pointer(note, tuple(body), anchors))
    return found


def pointer_problems(root: Path) -> list[str]:
    """Entries live on the Versions page; elsewhere a note is a one-line pointer.

    A pointer's links must reach entries that, together, make every claim of
    its title. Entries need an explicit `{ #anchor }` to be linked to.
    """
    entries = notes_on_pages(root)
    by_anchor = {note.anchor: note for note in entries if note.anchor}
    problems = [
        f'{note.where}: "{note.title}" has no {{ #anchor }}'
        for note in entries
        if not note.anchor
    ]
    for page in sorted((root / "docs").rglob("*.md")):
        relative = page.relative_to(root).as_posix()
        if relative == VERSIONS_PAGE:
            continue
        for number, line in enumerate(page.read_text().splitlines(), start=1):
            if ENTRY_HEADING.match(line):
                problems.append(
                    f'{relative}:{number}: a "Since" entry belongs on {VERSIONS_PAGE}'
                )
    for pointer in pointers_on_pages(root):
        note = pointer.note
        if note.page == VERSIONS_PAGE:
            problems.append(f"{note.where}: entries are headings, not admonitions")
            continue
        if len(pointer.body) != 1:
            problems.append(
                f"{note.where}: a pointer is one line; this one has {len(pointer.body)}"
            )
        unknown = [anchor for anchor in pointer.anchors if anchor not in by_anchor]
        if unknown or not pointer.anchors:
            problems.append(
                f'{note.where}: "{note.title}" must link to entries of '
                f"{VERSIONS_PAGE}; unknown anchors: {unknown or 'no link at all'}"
            )
            continue
        made = {
            (package, version_key(version))
            for anchor in pointer.anchors
            for package, version in by_anchor[anchor].claims
        }
        missing = [
            (package, version)
            for package, version in note.claims
            if (package, version_key(version)) not in made
        ]
        if missing or not note.claims:
            problems.append(
                f'{note.where}: "{note.title}" links to entries that do not make '
                f"{missing or 'any claim'}"
            )
    return problems


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
                    "which has no probe in tools/version_notes.py PROBES"
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


def run_probe(script: Path, python: str = sys.executable, timeout: float = 120) -> str:
    """Run a probe file with `python` and return its one word.

    -E and -s keep the environment's variables and user site out; the probe's
    own folder comes first on sys.path, so it can import _verdict.
    """
    try:
        done = subprocess.run(
            [python, "-E", "-s", str(script)],
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
    if words[0] not in (PRESENT, ABSENT) and done.stderr.strip():
        # "mixed": _verdict names the parts that matched neither side.
        return f"{words[0]} ({'; '.join(done.stderr.strip().splitlines())})"
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
    run: Callable[[Path, str], str] = run_probe,
) -> dict[tuple[str, str], str]:
    """Run probes in parallel; a probe that fails gives "error: <why>"."""
    unique = {probe.claim: probe for probe in probes}

    def one(probe: Probe) -> str:
        try:
            return run(probe.path, python)
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
