"""The accessibility audit can fail, and says why: a page that breaks each
rule the site once broke, the way the site broke it (tests/e2e/axe_audit.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.axe_audit import OUTPUT_CONTRAST, audit_site, report
from tools.servers import serve_directory

BAD_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bad</title>
<style>
  body { color: #000; background: #fff; }
  .highlight code { display: block; background: #f5f5f5; }
  .c1 { color: #717171; }
  .teal { color: #fff; background: #009485; }
  a { color: #3a3a3a; text-decoration: none; }
</style></head>
<body data-md-color-scheme="default">
<header class="teal">FastAPI responses, tested</header>
<main>
  <h1>Bad</h1>
  <div class="highlight"><pre><code><span class="c1">#&gt; {"id": 1}</span></code></pre></div>
  <p>Text with <a href="#here">a link</a> that only its colour sets apart.</p>
  <div role="dialog">Search</div>
  <nav class="first">one</nav>
  <nav class="second">two</nav>
</main>
</body></html>
"""


@pytest.mark.slow
def test_the_audit_reports_each_kind_of_violation_readably(
    browser: Browser, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(BAD_PAGE)
    with serve_directory(tmp_path) as server:
        audit = audit_site(browser, server.url, ["/"], states=False)["light"]
    found = {(f.rule, f.target): f.detail for f in audit.findings}
    assert found.keys() == {
        ("color-contrast", "header"),
        ("color-contrast", "span"),
        ("link-in-text-block", "a"),
        ("aria-dialog-name", 'div[role="dialog"]'),
        ("landmark-unique", ".first"),
    }, report(audit)
    assert found["color-contrast", "header"].startswith(
        "#ffffff on #009485 = 3.76:1, needs 4.5:1"
    )
    assert found["color-contrast", "span"].startswith(
        "#717171 on #f5f5f5 = 4.47:1, needs 4.5:1"
    )
    assert found["link-in-text-block", "a"] == (
        "link #3a3a3a vs text #000000 = 1.84:1, needs 3:1 or an underline"
    )
    assert "light  /  [every tab shown]  color-contrast  span  #717171" in report(audit)
    # The outputs check measured the same span, with the same figure.
    [(_, output)] = audit.outputs
    assert (output["fg"], output["bg"]) == ("#717171", "#f5f5f5")
    assert 4.47 <= output["ratio"] < OUTPUT_CONTRAST
