"""Every "Since <package> <version>" entry of the Versions page holds for the installed versions.

For each claim the entry's probe (tools/version_probes/, registered in
tools/version_notes.py) runs in a subprocess with this interpreter: the
installed package at or above the entry's version must show every part of the
new behaviour ("present"), an older one every part of the old ("absent"). Run
on the oldest supported FastAPI and Starlette, the same entries are checked
from the other side. Other pages keep one-line pointers to the entries.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from tools import version_bisect, version_notes
from tools.version_notes import Note, Probe

ROOT = Path(__file__).resolve().parent.parent
NOTES = version_notes.notes_on_pages(ROOT)
CLAIMS = [(note, claim) for note in NOTES for claim in note.claims]


@pytest.fixture(scope="module")
def installed() -> dict[str, str]:
    return version_notes.installed_versions(sys.executable)


@pytest.fixture(scope="module")
def results() -> dict[tuple[str, str], str]:
    """Every registered probe, run once, in parallel."""
    return version_notes.probe_results(version_notes.PROBES.values())


def test_the_versions_page_carries_the_entries():
    assert len(CLAIMS) >= len(version_notes.PROBES)
    assert {note.page for note in NOTES} == {version_notes.VERSIONS_PAGE}


def test_other_pages_only_point_at_entries():
    assert version_notes.pointers_on_pages(ROOT), "no page points at an entry"
    assert version_notes.pointer_problems(ROOT) == []


def test_every_probe_is_a_file_of_its_own():
    scripts = {probe.path for probe in version_notes.PROBES.values()}
    assert all(path.is_file() for path in scripts)
    on_disk = {
        path
        for path in version_notes.PROBES_DIR.glob("*.py")
        if not path.name.startswith("_")
    }
    assert on_disk == scripts, "a probe file that no entry uses, or the reverse"


@pytest.mark.slow  # over 3 s
@pytest.mark.parametrize(
    ("note", "claim"),
    CLAIMS,
    ids=[f"{note.where}-{package}-{version}" for note, (package, version) in CLAIMS],
)
def test_note_holds_for_installed_version(
    note: Note, claim: tuple[str, str], installed, results
):
    package, version = claim
    probe = version_notes._find(version_notes.PROBES, claim)
    assert probe is not None, f"{note.where}: no probe for {package} {version}"
    want = version_notes.expected(installed[package], version)
    got = results[probe.claim]
    assert got == want, (
        f'{note.where} "{note.title}": {package} {installed[package]} is installed, '
        f"so {probe.behaviour!r} should be {want}; the probe says {got}"
    )


@pytest.mark.parametrize(
    "probe", version_notes.PROBES.values(), ids=lambda probe: probe.label
)
def test_probe_agrees_with_installed_version(probe: Probe, installed, results):
    """The registry on its own: each probe fits the versions installed here."""
    want = version_notes.expected(installed[probe.package], probe.version)
    assert results[probe.claim] == want, (
        f"{probe.package} {installed[probe.package]} is installed, so "
        f"{probe.behaviour!r} (since {probe.version}) should be {want}"
    )


def test_every_probe_is_used_and_every_claim_has_one():
    assert version_notes.registry_problems(NOTES) == []


def test_each_probe_names_the_release_that_brought_it_and_the_one_before():
    for probe in version_notes.PROBES.values():
        at = version_notes.version_key(probe.at)
        assert at == version_notes.version_key(probe.version), probe.label
        assert version_notes.version_key(probe.before) < at, probe.label
        assert len(probe.at.split(".")) == len(probe.before.split(".")) == 3


# The checker itself, on small pages written for the occasion.


def write_page(root: Path, text: str, name: str = "demo.md") -> None:
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / name).write_text(text)


def write_versions(root: Path, text: str) -> None:
    write_page(root, text, name="versions.md")


def test_entry_headings_are_read_as_claims(tmp_path):
    write_versions(
        tmp_path,
        "# Versions\n\n"
        "## Since Starlette 0.39 and 1.0 { #ranges }\n\nRanges.\n\n"
        "## Since FastAPI 0.135.0 and Starlette 1.2\n\nTwo packages.\n\n"
        "## Mind the gap\n\nNot an entry.\n\n"
        "### Since 0.1, a sub-heading\n\nNot an entry either.\n\n"
        "## Since the beginning {#start}\n\nUnreadable.\n",
    )
    write_page(tmp_path, "# Other\n\n## Since FastAPI 0.130 { #x }\n\nNot read.\n")
    assert version_notes.notes_on_pages(tmp_path) == [
        Note(
            "docs/versions.md",
            3,
            "Since Starlette 0.39 and 1.0",
            (("starlette", "0.39"), ("starlette", "1.0")),
            "ranges",
        ),
        Note(
            "docs/versions.md",
            7,
            "Since FastAPI 0.135.0 and Starlette 1.2",
            (("fastapi", "0.135.0"), ("starlette", "1.2")),
        ),
        Note("docs/versions.md", 19, "Since the beginning", (), "start"),
    ]


def test_pointers_must_be_one_line_links_to_entries_that_make_their_claims(tmp_path):
    write_versions(
        tmp_path,
        "## Since Starlette 0.39 { #starlette-0.39 }\n\nRanges.\n\n"
        "## Since Starlette 1.0 { #starlette-1.0 }\n\nMultipart.\n\n"
        "## Since FastAPI 0.130\n\nNo anchor.\n\n"
        '!!! note "Since FastAPI 0.131"\n    Not here.\n',
    )
    write_page(
        tmp_path,
        '!!! note "Since Starlette 0.39 and 1.0"\n'
        "    [Ranges](versions.md#starlette-0.39), [fixed](versions.md#starlette-1.0.0).\n\n"
        '!!! note "Since Starlette 0.39.0 and 1.0"\n'
        "    [Ranges](versions.md#starlette-0.39), [fixed](versions.md#starlette-1.0).\n\n"
        '!!! note "Since Starlette 1.0"\n    [Wrong one](versions.md#starlette-0.39).\n\n'
        '???+ tip "Since Starlette 0.39"\n    Two lines,\n    [here](versions.md#starlette-0.39).\n\n'
        '!!! note "Since Starlette 0.39"\n    No link.\n\n'
        "## Since Starlette 0.39 { #again }\n",
    )
    assert version_notes.pointer_problems(tmp_path) == [
        'docs/versions.md:9: "Since FastAPI 0.130" has no { #anchor }',
        'docs/demo.md:17: a "Since" entry belongs on docs/versions.md',
        (
            'docs/demo.md:1: "Since Starlette 0.39 and 1.0" must link to entries of '
            "docs/versions.md; unknown anchors: ['starlette-1.0.0']"
        ),
        (
            'docs/demo.md:7: "Since Starlette 1.0" links to entries that do not make '
            "[('starlette', '1.0')]"
        ),
        "docs/demo.md:10: a pointer is one line; this one has 2",
        (
            'docs/demo.md:14: "Since Starlette 0.39" must link to entries of '
            "docs/versions.md; unknown anchors: no link at all"
        ),
        "docs/versions.md:13: entries are headings, not admonitions",
    ]


def test_versions_compare_as_numbers():
    assert version_notes.version_key("0.130.0") == version_notes.version_key("0.130")
    assert version_notes.expected("1.10.0", "1.2") == "present"
    assert version_notes.expected("0.165.0", "0.170") == "absent"
    assert version_notes.expected("0.135.0", "0.135") == "present"
    assert version_notes.expected("0.134.9", "0.135") == "absent"


def test_unregistered_claims_unused_probes_and_unreadable_titles_are_reported(
    tmp_path,
):
    write_versions(
        tmp_path,
        "## Since FastAPI 0.170 { #a }\n\nNot registered.\n\n"
        "## Since FastAPI 0.135 { #b }\n\nRegistered.\n\n"
        "## Since the beginning { #c }\n\nUnreadable.\n",
    )
    problems = version_notes.registry_problems(version_notes.notes_on_pages(tmp_path))
    assert problems[:2] == [
        (
            'docs/versions.md:1: "Since FastAPI 0.170" claims fastapi 0.170, '
            "which has no probe in tools/version_notes.py PROBES"
        ),
        (
            'docs/versions.md:9: cannot read "Since the beginning" as '
            '"Since <Package> <version> [and <version>]"'
        ),
    ]
    unused = {
        key for key in version_notes.PROBES if any(repr(key) in p for p in problems)
    }
    assert unused == set(version_notes.PROBES) - {("fastapi", "0.135")}
    assert len(problems) == 2 + len(unused)


def test_a_note_dated_after_the_installed_version_fails(tmp_path, installed):
    """SSE exists in the installed FastAPI; a note dating it 0.170 is wrong."""
    assert version_notes.expected(installed["fastapi"], "0.170") == "absent"
    write_versions(tmp_path, "# SSE\n\n## Since FastAPI 0.170 { #sse }\n\nWrong.\n")
    sse = version_notes.PROBES[("fastapi", "0.135")]
    registry = {("fastapi", "0.170"): dataclasses.replace(sse, version="0.170")}
    notes = version_notes.notes_on_pages(tmp_path)
    assert version_notes.registry_problems(notes, registry) == []
    assert version_notes.version_problems(notes, registry) == [
        (
            f'docs/versions.md:3: "Since FastAPI 0.170" with fastapi '
            f"{installed['fastapi']} installed: expected absent ({sse.behaviour}), "
            "probe says present"
        )
    ]


def fake_probe(directory: Path, version: str, source: str) -> Probe:
    """A probe file written for the test, outside tools/version_probes/."""
    script = directory / f"probe_{version.replace('.', '_')}.py"
    script.write_text(source + "\n")
    # An absolute path: PROBES_DIR / script keeps it as it is.
    return Probe(
        "fastapi", version, "a stand-in", str(script), at="0.0.1", before="0.0.0"
    )


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ('print("absent")', "probe says absent"),
        ('print("mixed")', "probe says mixed"),
        ('print("present", "twice")', "probe says error: probe exited 0 printing"),
        ("raise SystemExit('no such thing')", "no such thing"),
    ],
    ids=["absent", "mixed", "two-words", "crash"],
)
def test_a_note_whose_probe_does_not_say_present_fails(tmp_path, source, says):
    """FastAPI 0.1 is older than any installed one, so "present" is required."""
    write_versions(tmp_path, "## Since FastAPI 0.1 { #always }\n\nAlways.\n")
    registry = {("fastapi", "0.1"): fake_probe(tmp_path, "0.1", source)}
    problems = version_notes.version_problems(
        version_notes.notes_on_pages(tmp_path), registry
    )
    assert len(problems) == 1
    assert problems[0].startswith(
        'docs/versions.md:1: "Since FastAPI 0.1" with fastapi '
    )
    assert "expected present (a stand-in)" in problems[0]
    assert says in problems[0]


def test_a_right_note_passes_the_checker(tmp_path):
    write_versions(tmp_path, "## Since FastAPI 0.1 { #always }\n\nAlways.\n")
    registry = {("fastapi", "0.1"): fake_probe(tmp_path, "0.1", 'print("present")')}
    notes = version_notes.notes_on_pages(tmp_path)
    assert version_notes.registry_problems(notes, registry) == []
    assert version_notes.version_problems(notes, registry) == []


def run_verdict(tmp_path: Path, parts: str) -> tuple[str, str]:
    script = tmp_path / "probe.py"
    script.write_text(f"from _verdict import NOT_BEFORE, verdict\nverdict({parts})\n")
    helper = version_notes.PROBES_DIR / "_verdict.py"
    (tmp_path / "_verdict.py").write_text(helper.read_text())
    done = subprocess.run(
        [sys.executable, "-E", "-s", str(script)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip(), done.stderr


@pytest.mark.parametrize(
    ("parts", "word"),
    [
        ('("a", 2, 1, 2), ("b", "same", "same", "same")', "present"),
        ('("a", 1, 1, 2), ("b", "same", "same", "same")', "absent"),
        # One part of the old behaviour is not seen: neither side.
        ('("a", 1, 1, 2), ("b", "other", "same", "same")', "mixed"),
        ('("a", 1, 1, 2), ("b", 3, 4, 5)', "mixed"),
        # A part whose old behaviour is not stated can never read as "absent".
        ('("a", 1, 1, 2), ("b", None, NOT_BEFORE, True)', "mixed"),
        ('("a", 2, 1, 2), ("b", True, NOT_BEFORE, True)', "present"),
    ],
    ids=["new", "old", "old-but-one", "neither", "unstated-old", "unstated-new"],
)
def test_a_probe_says_absent_or_present_only_when_every_part_matches(
    tmp_path, parts, word
):
    said, explained = run_verdict(tmp_path, parts)
    assert said == word
    assert (word == "mixed") == bool(explained.strip())


@pytest.mark.parametrize(
    ("first_passing", "expected_checks"),
    [(0, 4), (3, 4), (7, 4), (5, 4)],
)
def test_the_bisect_finds_the_oldest_passing_release(first_passing, expected_checks):
    releases = [f"1.{minor}.0" for minor in range(8)]
    checked = []

    def passes(release: str) -> bool:
        checked.append(release)
        return releases.index(release) >= first_passing

    assert version_bisect.bisect_oldest(releases, passes) == releases[first_passing]
    assert len(checked) == expected_checks
    assert checked[0] == releases[-1]


def test_the_bisect_gives_up_when_the_newest_fails():
    assert version_bisect.bisect_oldest(["1.0.0", "1.1.0"], lambda _: False) is None
