"""Fetch the Python that runs the examples in the reader's browser.

    python -m tools.browser_runtime            # fetch into docs/run/runtime/
    python -m tools.browser_runtime --update   # re-pin requirements/browser.txt

The Run buttons (docs/javascripts/run.js, docs/run/) load Pyodide and the
example packages from the site itself, never from a CDN. This tool puts them
in docs/run/runtime/ (gitignored), so `mkdocs build` copies them into the
site:

- pyodide/: the files of the npm package `pyodide` a page needs, from the npm
  registry's tarball, checked against its sha512 integrity;
- wheels/: every wheel of requirements/browser.txt, each checked against its
  sha256; MarkupSafe publishes no wheel for the browser, so its pure-Python
  modules are packed into one from its checked source archive (MarkupSafe
  imports its C speedups only when they are there);
- examples.zip: examples/ as the worker unpacks it, and examples.json: for
  each example, whether it runs in the browser and, if not, why and how to run
  it instead (its `# Runs on a server only: ...` line).

Downloads are cached in build/browser-downloads/ and checked again on every
use. `--update` rewrites requirements/browser.txt: the versions the site pins
(requirements/constraints.txt) with the hashes PyPI lists for the files the
browser needs, so the browser runs the same FastAPI, Starlette and Pydantic as
the tests.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import re
import tarfile
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ROOT / "docs" / "run" / "runtime"
CACHE = ROOT / "build" / "browser-downloads"
REQUIREMENTS = ROOT / "requirements" / "browser.txt"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
EXAMPLES = ROOT / "examples"

# The npm package and the files of it a page loads (the rest are type
# declarations, source maps and demo consoles).
PYODIDE_VERSION = "314.0.7"
PYODIDE_INTEGRITY = (
    "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+"
    "SNvi/6V5JEsOlD2R1A=="
)
PYODIDE_TARBALL = f"https://registry.npmjs.org/pyodide/-/pyodide-{PYODIDE_VERSION}.tgz"
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
# The browser's Python: wheels must be for this interpreter and platform.
PYTHON_TAG = "cp314"
PLATFORM_TAG = "pyemscripten_2026_0_wasm32"

# What the examples import in the browser, with everything those need there
# (constraints.txt's `sys_platform == 'emscripten'` markers: httpx2 uses
# httpx2-jsfetch instead of httpcore2 and truststore).
BROWSER_PACKAGES = (
    "annotated-doc",
    "annotated-types",
    "anyio",
    "fastapi",
    "h11",
    "httpx2",
    "httpx2-jsfetch",
    "idna",
    "jinja2",
    "markupsafe",
    "opentelemetry-api",
    "pydantic",
    "pydantic-core",
    "starlette",
    "typing-extensions",
    "typing-inspection",
)
# Packaged here from the checked sdist (no browser wheel on PyPI).
FROM_SOURCE = {"markupsafe"}

SERVER_ONLY = re.compile(r"^# Runs on a server only: (?P<reason>.+)$", re.MULTILINE)


def download(url, name: str, check) -> bytes:
    """The bytes at `url` (a string, or a function that finds it), from the
    cache when they are there and still pass `check`."""
    cached = CACHE / name
    if cached.exists():
        data = cached.read_bytes()
        if check(data):
            return data
    if callable(url):
        url = url()
    print(f"browser_runtime: downloading {url}")
    with urllib.request.urlopen(url, timeout=120) as response:
        data = response.read()
    if not check(data):
        raise SystemExit(f"browser_runtime: {name} does not match its pinned hash")
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    return data


def sri_matches(integrity: str):
    algorithm, _, digest = integrity.partition("-")
    return lambda data: (
        base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == digest
    )


def sha256_matches(digest: str):
    return lambda data: hashlib.sha256(data).hexdigest() == digest


def requirements() -> list[tuple[str, str, str, str]]:
    """requirements/browser.txt as (name, version, filename, sha256) rows."""
    rows = []
    for line in REQUIREMENTS.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(
            r"(?P<name>[\w.-]+)==(?P<version>\S+)\s+--hash=sha256:(?P<hash>\w+)"
            r"\s+#\s*(?P<file>\S+)",
            line,
        )
        if match is None:
            raise SystemExit(f"browser_runtime: cannot read {line!r}")
        rows.append((match["name"], match["version"], match["file"], match["hash"]))
    return rows


def simple_index(name: str) -> dict:
    request = urllib.request.Request(
        f"https://pypi.org/simple/{name}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def pinned_versions() -> dict[str, str]:
    """name -> version from constraints.txt (the site's own pins)."""
    versions = {}
    for line in CONSTRAINTS.read_text().splitlines():
        match = re.match(r"(?P<name>[\w.-]+)==(?P<version>[^\s;]+)", line)
        if match:
            versions[match["name"].lower()] = match["version"]
    return versions


def wanted_file(name: str, version: str, filename: str) -> bool:
    stem = re.escape(re.sub(r"[-_.]+", "_", name))
    version = re.escape(version)
    if name in FROM_SOURCE:
        return re.fullmatch(rf"(?i){stem}-{version}\.tar\.gz", filename) is not None
    return (
        re.fullmatch(
            rf"(?i){stem}-{version}-(py3-none-any|{PYTHON_TAG}-{PYTHON_TAG}-{PLATFORM_TAG})\.whl",
            filename,
        )
        is not None
    )


def update() -> None:
    """Rewrite requirements/browser.txt from the site's pins and PyPI's hashes."""
    versions = pinned_versions()
    lines = [
        "# The packages the browser runs the examples with (tools/browser_runtime.py).",
        "# Versions: requirements/constraints.txt; files and hashes: PyPI.",
        "# Regenerate with `python -m tools.browser_runtime --update`.",
    ]
    for name in BROWSER_PACKAGES:
        version = versions[name]
        files = [
            entry
            for entry in simple_index(name)["files"]
            if wanted_file(name, version, entry["filename"])
        ]
        if len(files) != 1:
            raise SystemExit(
                f"browser_runtime: {name}=={version} has {len(files)} files "
                f"for the browser on PyPI: {[entry['filename'] for entry in files]}"
            )
        lines.append(
            f"{name}=={version} --hash=sha256:{files[0]['hashes']['sha256']}"
            f"  # {files[0]['filename']}"
        )
    REQUIREMENTS.write_text("\n".join(lines) + "\n")
    print(f"browser_runtime: wrote {REQUIREMENTS.relative_to(ROOT)}")


def wheel_from_sdist(name: str, version: str, sdist: bytes) -> tuple[str, bytes]:
    """A py3-none-any wheel of a package's pure-Python modules (src/ layout)."""
    package = name.replace("-", "_")
    out = io.BytesIO()
    dist_info = f"{package}-{version}.dist-info"
    with (
        tarfile.open(fileobj=io.BytesIO(sdist)) as tar,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as wheel,
    ):
        members = sorted(tar.getmembers(), key=lambda member: member.name)
        for member in members:
            parts = member.name.split("/")
            if (
                member.isfile()
                and parts[1:3] == ["src", package]
                and member.name.endswith((".py", ".typed"))
            ):
                data = tar.extractfile(member).read()
                wheel.writestr("/".join(parts[2:]), data)
        wheel.writestr(
            f"{dist_info}/METADATA",
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        )
        wheel.writestr(
            f"{dist_info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: tools.browser_runtime\n"
            "Root-Is-Purelib: true\nTag: py3-none-any\n",
        )
        wheel.writestr(f"{dist_info}/RECORD", "")
    return f"{package}-{version}-py3-none-any.whl", out.getvalue()


def server_only_reason(source: str) -> str | None:
    match = SERVER_ONLY.search(source)
    return match["reason"] if match else None


def examples_manifest() -> dict:
    manifest = {}
    for path in sorted(EXAMPLES.rglob("*.py")):
        source = path.read_text()
        if "[start:try_it]" not in source:
            continue
        relative = path.relative_to(ROOT).as_posix()
        module = relative.removesuffix(".py").replace("/", ".")
        reason = server_only_reason(source)
        manifest[relative] = {
            "runs_in_browser": reason is None,
            "reason": reason,
            "command": f"python -m {module}",
        }
    return manifest


def examples_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(EXAMPLES.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.write(path, path.relative_to(ROOT).as_posix())
    return out.getvalue()


def write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def fetch() -> None:
    """Fill docs/run/runtime/ with Pyodide, the wheels and the examples."""
    tarball = download(
        PYODIDE_TARBALL,
        f"pyodide-{PYODIDE_VERSION}.tgz",
        sri_matches(PYODIDE_INTEGRITY),
    )
    with tarfile.open(fileobj=io.BytesIO(tarball)) as tar:
        for name in PYODIDE_FILES:
            write_if_changed(
                RUNTIME / "pyodide" / name,
                tar.extractfile(f"package/{name}").read(),
            )
    for stale in (RUNTIME / "pyodide").iterdir():
        if stale.name not in PYODIDE_FILES:
            stale.unlink()
    wheels = []
    for name, version, filename, digest in requirements():
        data = download(
            lambda name=name, filename=filename: wheel_url(name, filename),
            filename,
            sha256_matches(digest),
        )
        if name in FROM_SOURCE:
            filename, data = wheel_from_sdist(name, version, data)
        write_if_changed(RUNTIME / "wheels" / filename, data)
        wheels.append(filename)
    for stale in (RUNTIME / "wheels").iterdir():
        if stale.name not in wheels:
            stale.unlink()
    write_if_changed(
        RUNTIME / "runtime.json",
        json.dumps(
            {"pyodide": PYODIDE_VERSION, "wheels": sorted(wheels)}, indent=2
        ).encode(),
    )
    write_if_changed(RUNTIME / "examples.zip", examples_zip())
    write_if_changed(
        RUNTIME / "examples.json",
        json.dumps(examples_manifest(), indent=2).encode(),
    )
    print(f"browser_runtime: {RUNTIME.relative_to(ROOT)} is ready")


def wheel_url(name: str, filename: str) -> str:
    for entry in simple_index(name)["files"]:
        if entry["filename"] == filename:
            return entry["url"]
    raise SystemExit(f"browser_runtime: PyPI lists no {filename}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update",
        action="store_true",
        help="re-pin requirements/browser.txt from constraints.txt and PyPI",
    )
    args = parser.parse_args()
    if args.update:
        update()
    fetch()


if __name__ == "__main__":
    main()
