"""Checks that read the built HTML: what a reader actually gets."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.consistency import fail_on, includes
from tests.consistency_site import check_site_blocks, check_site_offline, python_blocks

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def site(built_site: Path) -> Path:
    return built_site


def test_every_python_block_comes_from_an_example(site: Path) -> None:
    fail_on(check_site_blocks(site, ROOT))


def test_the_site_loads_nothing_from_other_hosts(site: Path) -> None:
    fail_on(check_site_offline(site))


def test_each_include_on_a_page_became_one_python_block(site: Path) -> None:
    blocks = [
        b for page in site.rglob("*.html") for b in python_blocks(page.read_text())
    ]
    python_includes = [inc for inc in includes(ROOT) if inc.path.endswith(".py")]
    assert len(python_includes) >= 2
    assert len(blocks) == len(python_includes)


@pytest.mark.parametrize(
    "name",
    [
        "JSONResponse",
        "StreamingResponse",
        "EventSourceResponse",
        "FileResponse",
        "HTMLResponse",
        "PlainTextResponse",
        "ORJSONResponse",
    ],
)
def test_the_search_index_knows_each_response_class(site: Path, name: str) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert any(name in doc["text"] or name in doc["title"] for doc in index["docs"])


def reference_text(site: Path) -> str:
    """The built Reference page's text, tags removed and spaces collapsed."""
    page = (site / "reference" / "index.html").read_text()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def test_the_reference_renders_the_error_entries(site: Path) -> None:
    """docs/reference.md's Errors section: the signatures its prose describes."""
    text = reference_text(site)

    assert "HTTPException(status_code, detail=None, headers=None)" in text
    assert "headers: Mapping[str, str] | None = None, )" in text
    assert "body: Any = None, endpoint_ctx: EndpointContext | None = None )" in text
    assert "http_exception_handler( request: Request, exc: HTTPException ) ->" in text
    assert "The HTTPException in the signature of http_exception_handler is" in text


def test_the_reference_renders_the_cookie_methods(site: Path) -> None:
    """docs/reference.md's Cookies section: methods with no docstring still shown."""
    text = reference_text(site)

    assert "set_cookie( key: str, value: str = " in text
    assert "delete_cookie( key: str, path: str = " in text
    assert 'samesite: ( Literal["lax", "strict", "none"] | None ) = "lax"' in text
    assert "Cookie( default=Undefined, *," in text


def test_the_reference_renders_templates_with_the_request_first(site: Path) -> None:
    """docs/reference.md's Templates section: TemplateResponse takes the request
    first (tests/test_templates.py shows the older order failing)."""
    text = reference_text(site)

    assert "Jinja2Templates( directory: ( str | PathLike[str]" in text
    assert "TemplateResponse( request: Request, name: str, context: " in text


def test_the_reference_renders_the_middleware_classes(site: Path) -> None:
    """docs/reference.md's Middleware section (the defaults:
    tests/test_middleware.py::test_the_defaults_are_500_bytes_and_level_9)."""
    text = reference_text(site)

    assert (
        "GZipMiddleware( app: ASGIApp, minimum_size: int = 500, compresslevel: int = 9"
        in text
    )
    assert (
        "BaseHTTPMiddleware( app: ASGIApp, dispatch: DispatchFunction | None = None )"
        in text
    )


def test_the_reference_renders_mutable_headers_setdefault(site: Path) -> None:
    """docs/reference.md's Security headers section (what setdefault keeps:
    tests/test_security.py::test_a_header_the_route_sets_is_kept)."""
    text = reference_text(site)

    assert "MutableHeaders( headers: Mapping[str, str] | None = None," in text
    assert "setdefault(key: str, value: str) -> str" in text


def test_the_reference_shows_each_response_class_with_its_arguments(
    site: Path,
) -> None:
    """The Cheat sheet promises each class's signature on the reference page."""
    text = reference_text(site)

    for signature in (
        "StreamingResponse( content: ContentStream, status_code: int = 200,",
        "FileResponse( path: str | PathLike[str], status_code: int = 200,",
        "JSONResponse( content: Any, status_code: int = 200,",
    ):
        assert signature in text, signature


def test_a_strict_build_rejects_a_link_to_a_missing_anchor(tmp_path: Path) -> None:
    for part in ("docs", "examples"):
        shutil.copytree(ROOT / part, tmp_path / part)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    with (tmp_path / "docs" / "index.md").open("a") as page:
        page.write("\nSee [nowhere](reference.md#no-such-anchor).\n")

    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert build.returncode != 0
    assert "does not contain an anchor '#no-such-anchor'" in build.stderr
