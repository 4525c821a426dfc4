"""Every "Since <package> <version>" note on the pages holds for the installed versions.

For each claim the note's probe (tests/version_notes.py) runs in a subprocess
with this interpreter: the installed package at or above the note's version
must show the behaviour ("present"), an older one must not ("absent"). Run on
an older FastAPI, the same notes are checked from the other side.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from tests import version_notes
from tests.version_notes import Note, Probe

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


def test_the_pages_carry_version_notes():
    assert len(CLAIMS) >= len(version_notes.PROBES)


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


def test_titles_are_read_as_claims(tmp_path):
    write_page(
        tmp_path,
        "# Demo\n\n"
        '!!! note "Since Starlette 0.39 and 1.0"\n    Ranges.\n\n'
        '???+ tip "Since FastAPI 0.135.0 and Starlette 1.2"\n    Two packages.\n\n'
        '!!! warning "Mind the gap"\n    Not a version note.\n\n'
        '!!! note "Since the beginning"\n    Unreadable.\n',
    )
    assert version_notes.notes_on_pages(tmp_path) == [
        Note(
            "docs/demo.md",
            3,
            "Since Starlette 0.39 and 1.0",
            (("starlette", "0.39"), ("starlette", "1.0")),
        ),
        Note(
            "docs/demo.md",
            6,
            "Since FastAPI 0.135.0 and Starlette 1.2",
            (("fastapi", "0.135.0"), ("starlette", "1.2")),
        ),
        Note("docs/demo.md", 12, "Since the beginning", ()),
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
    write_page(
        tmp_path,
        '!!! note "Since FastAPI 0.170"\n    Not registered.\n\n'
        '!!! note "Since FastAPI 0.135"\n    Registered.\n\n'
        '!!! note "Since the beginning"\n    Unreadable.\n',
    )
    problems = version_notes.registry_problems(version_notes.notes_on_pages(tmp_path))
    assert problems[:2] == [
        (
            'docs/demo.md:1: "Since FastAPI 0.170" claims fastapi 0.170, '
            "which has no probe in tests/version_notes.py PROBES"
        ),
        (
            'docs/demo.md:7: cannot read "Since the beginning" as '
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
    write_page(tmp_path, '# SSE\n\n!!! note "Since FastAPI 0.170"\n    Wrong.\n')
    sse = version_notes.PROBES[("fastapi", "0.135")]
    registry = {("fastapi", "0.170"): dataclasses.replace(sse, version="0.170")}
    notes = version_notes.notes_on_pages(tmp_path)
    assert version_notes.registry_problems(notes, registry) == []
    assert version_notes.version_problems(notes, registry) == [
        (
            f'docs/demo.md:3: "Since FastAPI 0.170" with fastapi '
            f"{installed['fastapi']} installed: expected absent ({sse.behaviour}), "
            "probe says present"
        )
    ]


def fake_probe(version: str, source: str) -> Probe:
    return Probe("fastapi", version, "a stand-in", source, at="0.0.1", before="0.0.0")


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
    write_page(tmp_path, '!!! note "Since FastAPI 0.1"\n    Always.\n')
    registry = {("fastapi", "0.1"): fake_probe("0.1", source)}
    problems = version_notes.version_problems(
        version_notes.notes_on_pages(tmp_path), registry
    )
    assert len(problems) == 1
    assert problems[0].startswith('docs/demo.md:1: "Since FastAPI 0.1" with fastapi ')
    assert "expected present (a stand-in)" in problems[0]
    assert says in problems[0]


def test_a_right_note_passes_the_checker(tmp_path):
    write_page(tmp_path, '!!! note "Since FastAPI 0.1"\n    Always.\n')
    registry = {("fastapi", "0.1"): fake_probe("0.1", 'print("present")')}
    notes = version_notes.notes_on_pages(tmp_path)
    assert version_notes.registry_problems(notes, registry) == []
    assert version_notes.version_problems(notes, registry) == []
