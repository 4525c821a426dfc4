"""tools/browser_runtime.py: what the Run buttons load is what the site pins.

The browser tests (tests/e2e/test_run_in_browser.py) run every example
there; these check the tool's inputs and outputs without a browser.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tarfile
import zipfile
from pathlib import Path

from tools import browser_runtime
from tools.browser_runtime import (
    SERVER_ONLY,
    examples_manifest,
    examples_zip,
    pinned_versions,
    requirements,
    wheel_from_sdist,
)

ROOT = Path(__file__).resolve().parent.parent


def test_the_browser_runs_the_versions_the_site_pins() -> None:
    pins = pinned_versions()
    rows = requirements()
    assert [name for name, *_ in rows] == list(browser_runtime.BROWSER_PACKAGES)
    assert {name: version for name, version, *_ in rows} == {
        name: pins[name] for name, *_ in rows
    }
    for name, version, filename, digest in rows:
        assert len(digest) == 64, name
        assert browser_runtime.wanted_file(name, version, filename), filename


def test_every_example_with_a_try_it_part_is_in_the_manifest() -> None:
    manifest = examples_manifest()
    with_try_it = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "examples").rglob("*.py")
        if "[start:try_it]" in path.read_text()
    }
    assert set(manifest) == with_try_it
    path = "examples/json_response/custom_error.py"
    assert manifest[path] == {
        "runs_in_browser": True,
        "reason": None,
        "command": "python -m examples.json_response.custom_error",
    }


def test_a_server_only_line_gives_a_reason_and_stays_off_the_page() -> None:
    """The line is a comment outside the parts the pages include."""
    marked = 0
    for path in sorted((ROOT / "examples").rglob("*.py")):
        source = path.read_text()
        for match in SERVER_ONLY.finditer(source):
            marked += 1
            before = source[: match.start()]
            assert before.count("[start:") == before.count("[end:"), path
            assert match["reason"].endswith("."), path
            assert len(match["reason"].split()) >= 5, path
    assert marked == sum(
        not entry["runs_in_browser"] for entry in examples_manifest().values()
    )
    assert marked >= 1


def test_the_examples_archive_holds_each_file_and_no_bytecode() -> None:
    with zipfile.ZipFile(io.BytesIO(examples_zip())) as archive:
        names = set(archive.namelist())
    files = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "examples").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert names == files
    assert not [name for name in names if name.endswith(".pyc")]


def test_a_wheel_from_source_keeps_only_the_pure_python_modules(
    tmp_path: Path,
) -> None:
    sdist = io.BytesIO()
    with tarfile.open(fileobj=sdist, mode="w:gz") as tar:
        for name, data in {
            "markupsafe-9.0/src/markupsafe/__init__.py": b"VALUE = 1\n",
            "markupsafe-9.0/src/markupsafe/_native.py": b"",
            "markupsafe-9.0/src/markupsafe/_speedups.c": b"int x;",
            "markupsafe-9.0/src/markupsafe/py.typed": b"",
            "markupsafe-9.0/tests/test_it.py": b"",
        }.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    filename, wheel = wheel_from_sdist("markupsafe", "9.0", sdist.getvalue())
    assert filename == "markupsafe-9.0-py3-none-any.whl"
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        assert sorted(archive.namelist()) == [
            "markupsafe-9.0.dist-info/METADATA",
            "markupsafe-9.0.dist-info/RECORD",
            "markupsafe-9.0.dist-info/WHEEL",
            "markupsafe/__init__.py",
            "markupsafe/_native.py",
            "markupsafe/py.typed",
        ]
        assert (
            "Tag: py3-none-any"
            in archive.read("markupsafe-9.0.dist-info/WHEEL").decode()
        )


def test_downloads_are_checked_against_their_pinned_hash() -> None:
    data = b"wheel"
    digest = hashlib.sha256(data).hexdigest()
    assert browser_runtime.sha256_matches(digest)(data)
    assert not browser_runtime.sha256_matches(digest)(data + b"!")
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    assert browser_runtime.sri_matches(integrity)(data)
    assert not browser_runtime.sri_matches(integrity)(data + b"!")


def test_the_overview_names_what_runs_in_the_browser() -> None:
    text = " ".join((ROOT / "docs" / "index.md").read_text().split())
    python = browser_runtime.PYTHON_TAG.removeprefix("cp")
    assert f"Python {python[0]}.{python[1:]} compiled to WebAssembly" in text
    assert f"(Pyodide {browser_runtime.PYODIDE_VERSION})" in text


def test_the_overview_states_the_limits_the_runner_sets() -> None:
    text = " ".join((ROOT / "docs" / "index.md").read_text().split())
    run_js = (ROOT / "docs" / "javascripts" / "run.js").read_text()
    worker = (ROOT / "docs" / "run" / "worker.mjs").read_text()
    seconds = re.search(r"RUN_LIMIT_SECONDS = (\d+);", run_js)[1]
    characters = int(re.search(r"OUTPUT_LIMIT = (\d+);", worker)[1])
    assert f"still going after {seconds} seconds is stopped" in text
    assert f"Output stops at {characters:,} characters" in text
