"""Every built page passes axe-core's WCAG 2.1 A and AA rules, light and dark,
and every `#>` output reads at 4.5:1 or more (the audit: tests/e2e/axe_audit.py).

Debian's chromium, through pytest-playwright's `browser` fixture; the static
server is stopped by its PID when the module ends.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser

from tests.e2e.axe_audit import (
    OUTPUT_CONTRAST,
    PALETTES,
    Audit,
    audit_site,
    page_paths,
    report,
)
from tools.servers import Server, serve_directory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site_server(built_site: Path) -> Iterator[Server]:
    with serve_directory(built_site) as server:
        yield server


@pytest.fixture(scope="module")
def audits(browser: Browser, built_site: Path, site_server: Server) -> dict[str, Audit]:
    return audit_site(browser, site_server.url, page_paths(built_site), states=True)


def nav_files(entries: list) -> list[str]:
    """The page files of a nav list, those of its sections included."""
    return [
        file
        for entry in entries
        for value in entry.values()
        for file in (nav_files(value) if isinstance(value, list) else [value])
    ]


def nav_paths() -> list[str]:
    """The path of each page in mkdocs.yml's nav."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    files = nav_files(config["nav"])
    return [
        "/" if file == "index.md" else "/" + file.removesuffix(".md") + "/"
        for file in files
    ]


def test_the_audit_visits_every_page_of_the_nav_and_the_404_page(
    built_site: Path,
) -> None:
    assert set(page_paths(built_site)) == {*nav_paths(), "/404.html"}


@pytest.mark.slow
@pytest.mark.timeout(600)  # the first one waits for the whole audit
@pytest.mark.parametrize("palette", PALETTES)
def test_every_page_passes_axe_wcag21_aa(
    audits: dict[str, Audit], built_site: Path, palette: str
) -> None:
    audit = audits[palette]
    assert audit.pages == len(page_paths(built_site))
    # Each page really showed the palette under test.
    assert set(audit.schemes.values()) == {PALETTES[palette]}, audit.schemes
    assert audit.findings == [], report(audit)


@pytest.mark.slow
@pytest.mark.timeout(600)  # runs the whole audit if run alone
@pytest.mark.parametrize("palette", PALETTES)
def test_the_outputs_in_code_blocks_read_at_4_5_to_1_or_more(
    audits: dict[str, Audit], palette: str
) -> None:
    outputs = audits[palette].outputs
    # The pages show many outputs, in "Try it" tabs too: each one is measured.
    assert len(outputs) >= 100
    assert {path for path, _ in outputs} >= {"/", "/json_response/", "/files/"}
    low = [
        # Rounded down, as axe does, so 4.499 never reads as 4.50.
        f"{path}  {c['fg']} on {c['bg']} = {math.floor(c['ratio'] * 100) / 100}:1"
        f"  {c['text']}"
        for path, c in outputs
        if c["ratio"] < OUTPUT_CONTRAST
    ]
    assert low == [], f"{len(low)} outputs below {OUTPUT_CONTRAST}:1:\n" + "\n".join(
        low
    )
