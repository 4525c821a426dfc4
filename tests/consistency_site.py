"""Checks on the built site (`mkdocs build` output), split from tests/consistency.py.

Like those checks, each returns a list of problems, one readable sentence each
that says where and how to fix it: every Python block of the site is a stretch
of some example file, and no page or stylesheet loads anything from another
host. tests/site/ runs them on a real build, tests/test_consistency_site.py on
small broken sites.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from tests.consistency import PYTHON_LANGS, example_files, without_markers


class _CodeBlocks(HTMLParser):
    """Collects the text of each highlighted Python block in a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._in_python = False  # inside a language-python container
        self._buffer: list[str] | None = None  # inside its <code>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if "doc-signature" in classes:
            return  # a signature mkdocstrings read from the installed package
        if any(c.startswith("language-") and c[9:] in PYTHON_LANGS for c in classes):
            self._in_python = True
        elif tag == "code" and self._in_python:
            self._buffer = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self._buffer is not None:
            self.blocks.append("".join(self._buffer))
            self._buffer = None
            self._in_python = False

    def handle_data(self, data: str) -> None:
        if self._buffer is not None:
            self._buffer.append(data)


def python_blocks(html: str) -> list[str]:
    parser = _CodeBlocks()
    parser.feed(html)
    return parser.blocks


def _normalised(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    width = len(needle)
    return any(
        haystack[i : i + width] == needle for i in range(len(haystack) - width + 1)
    )


def check_site_blocks(site: Path, root: Path) -> list[str]:
    """Every Python block in the built site is a stretch of some example file."""
    sources = [_normalised(without_markers(p.read_text())) for p in example_files(root)]
    problems = []
    for html_file in sorted(site.rglob("*.html")):
        for block in python_blocks(html_file.read_text()):
            lines = _normalised(block)
            if lines and not any(_contains(src, lines) for src in sources):
                first = lines[0][:60]
                problems.append(
                    f"{html_file.relative_to(site).as_posix()}: a Python block "
                    f"starting {first!r} matches no file under examples/; "
                    "include the code from an example instead of typing it"
                )
    return problems


class _Requests(HTMLParser):
    """Collects the URLs a browser fetches on its own when it loads a page."""

    FETCHED: ClassVar[
        dict[str, tuple[str, ...]]
    ] = {  # tag -> attributes whose URL the browser loads without a click
        "script": ("src",),
        "img": ("src", "srcset"),
        "iframe": ("src",),
        "source": ("src", "srcset"),
        "video": ("src", "poster"),
        "audio": ("src",),
        "link": ("href",),
    }

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and (values.get("rel") or "") in {"canonical", "alternate"}:
            return  # metadata, not fetched
        for attr in self.FETCHED.get(tag, ()):
            if values.get(attr):
                self.urls.append(values[attr] or "")


CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])(?P<url>[^'")\s]+)""")


def _is_external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, flags=re.IGNORECASE))


def check_site_offline(site: Path) -> list[str]:
    """The built site loads nothing from another host: no fonts, CDNs or trackers."""
    problems = []
    for html_file in sorted(site.rglob("*.html")):
        parser = _Requests()
        parser.feed(html_file.read_text())
        problems += [
            f"{html_file.relative_to(site).as_posix()} loads {url}; serve it from "
            "docs/ or drop it (the site must read offline)"
            for url in parser.urls
            if _is_external(url)
        ]
    for css_file in sorted(site.rglob("*.css")):
        problems += [
            f"{css_file.relative_to(site).as_posix()} loads {m['url']}; serve it "
            "from docs/ or drop it (the site must read offline)"
            for m in CSS_URL.finditer(css_file.read_text())
            if _is_external(m["url"])
        ]
    return problems
