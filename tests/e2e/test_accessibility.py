"""Every built page passes axe-core's WCAG 2.1 A and AA rules, light and dark.

axe-core is the axe.min.js that the pinned axe-playwright-python ships, so no
npm step is needed. It runs in Debian's chromium over every HTML page of the
built site, once with the light palette and once with the dark one (a fresh
browser context that prefers that colour scheme, as a reader's system would).
Before each run every tab panel of the page is shown, so the "Try it" panels
with their `#>` outputs are checked too, not only the first tab. A reader's
other states are checked on the overview page: the search dialog open with
results, a code block hovered with its copy button focused, the "Copied to
clipboard" note, and a hovered link.

The two palettes run side by side (asyncio, one browser context each). Every
wait is bounded; the browser is closed and the static server is stopped by its
PID when the module ends.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.base import AXE_SCRIPT
from playwright.async_api import BrowserContext, Page, async_playwright

from tools.servers import Server, serve_directory

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
WAIT_MS = 10_000  # any single wait in a page: load, selector, search results
AXE_WAIT_S = 120  # one axe run on one page, on a busy machine

# The WCAG 2.1 level A and AA rules, plus the two best-practice rules behind
# the unnamed search dialog and repeated landmarks.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EXTRA_RULES = ["aria-dialog-name", "landmark-unique"]
# Chosen by the reader's system preference: mkdocs.yml's `media` per palette.
PALETTES = {"light": "default", "dark": "slate"}
OUTPUT_CONTRAST = 4.5  # WCAG AA for normal-size text

# Show every tab panel and open every <details>: their text is checked too.
# Then let the theme catch up, as it does when a reader opens a tab: it makes a
# code block that now scrolls sideways focusable (tabindex) on its next resize
# callback. Waits up to 60 frames for that, then lets axe judge either way.
SHOW_ALL_CSS = (
    ".tabbed-set > .tabbed-content > .tabbed-block { display: block !important; }"
)
SHOW_ALL_JS = """
async () => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const pending = () => [...document.querySelectorAll(".highlight pre > code")]
    .filter((c) => c.scrollWidth > c.clientWidth && !c.hasAttribute("tabindex"));
  for (let frame = 0; frame < 60 && pending().length; frame++) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}
"""

# Runs axe over `context` with the rules above; returns each violation's nodes
# with what a reader of the failure needs (the contrast figures, if any).
RUN_AXE = """
async ([tags, extra, context]) => {
  const rules = axe.getRules(tags).map((rule) => rule.ruleId).concat(extra);
  const results = await axe.run(context || document, {
    runOnly: {type: "rule", values: rules},
    resultTypes: ["violations"],
  });
  return {
    version: axe.version,
    violations: results.violations.map((violation) => ({
      id: violation.id,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({
        target: node.target.join(" "),
        data: ([...node.any, ...node.all, ...node.none].find((c) => c.data) || {})
          .data || null,
        summary: node.failureSummary || "",
      })),
    })),
  };
}
"""

# The contrast of each visible `#>` output comment against the code block
# behind it: WCAG's relative-luminance formula, the text colour blended over
# the first opaque background if it is translucent.
OUTPUT_CONTRASTS = r"""
() => {
  const parse = (css) => {
    const m = css.match(/rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)(?:[,\/]\s*([\d.]+))?\)/);
    return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
  };
  const blend = (top, under) => top.slice(0, 3).map(
    (c, i) => c * top[3] + under[i] * (1 - top[3])).concat([1]);
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const color = parse(getComputedStyle(e).backgroundColor);
      if (color && color[3] > 0) layers.push(color);
      if (color && color[3] === 1) break;
    }
    let result = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = blend(layer, result);
    return result;
  };
  const luminance = ([r, g, b]) => {
    const channel = (c) => {
      c /= 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const hex = (c) => "#" + c.slice(0, 3).map(
    (v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  return [...document.querySelectorAll(".highlight code span")]
    .filter((span) => span.textContent.startsWith("#>") && span.getClientRects().length)
    .map((span) => {
      const bg = background(span);
      const raw = parse(getComputedStyle(span).color);
      const fg = raw ? blend(raw, bg) : null;
      const [hi, lo] = fg ? [luminance(fg), luminance(bg)].sort((a, b) => b - a) : [0, 0];
      return {
        text: span.textContent.slice(0, 60),
        fg: fg ? hex(fg) : getComputedStyle(span).color,
        bg: hex(bg),
        ratio: fg ? (hi + 0.05) / (lo + 0.05) : 0,
      };
    });
}
"""


@dataclass(frozen=True)
class Finding:
    """One element that breaks one rule, as the failure message lists it."""

    palette: str
    page: str
    state: str
    rule: str
    target: str
    detail: str

    def __str__(self) -> str:
        return (
            f"{self.palette:5}  {self.page}  [{self.state}]  {self.rule}  "
            f"{self.target}  {self.detail}"
        )


def detail(rule: str, node: dict) -> str:
    """The contrast figures when the rule measured them, else axe's summary."""
    data = node["data"] if isinstance(node["data"], dict) else {}
    if "contrastRatio" in data and "fgColor" in data:
        return (
            f"{data['fgColor']} on {data['bgColor']} = {data['contrastRatio']}:1, "
            f"needs {data['expectedContrastRatio']} "
            f"({data['fontSize']}, {data['fontWeight']})"
        )
    if "contrastRatio" in data and "nodeColor" in data:
        return (
            f"link {data['nodeColor']} vs text {data['parentColor']} = "
            f"{data['contrastRatio']}:1, needs {data['requiredContrastRatio']}:1 "
            "or an underline"
        )
    return " ".join(node["summary"].split())


@dataclass
class Audit:
    """What one palette's pass over the site found."""

    palette: str
    axe_version: str = ""
    pages: int = 0
    findings: list[Finding] | None = None
    outputs: list[tuple[str, dict]] | None = None  # (page, #> contrast)
    schemes: dict[str, str] | None = None  # page -> data-md-color-scheme seen


def page_paths(site: Path) -> list[str]:
    """Every HTML page of the built site, as the path a browser asks for."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        paths.append("/" + relative.removesuffix("index.html"))
    return paths


async def run_axe(page: Page, context: object = None) -> dict:
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE_SCRIPT)
    return await asyncio.wait_for(
        page.evaluate(RUN_AXE, [AXE_TAGS, EXTRA_RULES, context]), AXE_WAIT_S
    )


def note(audit: Audit, path: str, state: str, result: dict) -> None:
    audit.axe_version = result["version"]
    for violation in result["violations"]:
        for node in violation["nodes"]:
            audit.findings.append(
                Finding(
                    audit.palette,
                    path,
                    state,
                    violation["id"],
                    node["target"],
                    detail(violation["id"], node),
                )
            )


async def audit_pages(
    context: BrowserContext, audit: Audit, url: str, paths: list[str]
) -> None:
    page = await context.new_page()
    for path in paths:
        await page.goto(url + path, wait_until="load")
        audit.schemes[path] = await page.evaluate("document.body.dataset.mdColorScheme")
        await page.add_style_tag(content=SHOW_ALL_CSS)
        await page.evaluate(SHOW_ALL_JS)
        note(audit, path, "every tab shown", await run_axe(page))
        audit.outputs += [(path, c) for c in await page.evaluate(OUTPUT_CONTRASTS)]
        audit.pages += 1
    await page.close()


async def audit_states(context: BrowserContext, audit: Audit, url: str) -> None:
    """What a reader of the overview page does: search, copy, hover a link."""
    page = await context.new_page()
    await page.goto(url + "/", wait_until="load")

    # The search dialog, open, with results for a word the site uses a lot.
    await page.keyboard.press("/")
    meta = page.locator(".md-search-result__meta")
    await meta.get_by_text("Type to start searching").wait_for()
    await page.locator("input.md-search__input").press_sequentially("response")
    await meta.get_by_text("matching document").wait_for()
    note(audit, "/", "search open", await run_axe(page, {"include": [[".md-search"]]}))
    await page.keyboard.press("Escape")

    # A code block under the pointer, its copy button focused, then clicked.
    block = page.locator(".md-content .highlight").first
    await block.hover()
    button = block.locator("button[data-md-type=copy]")
    await button.focus()
    note(
        audit,
        "/",
        "copy button focused",
        await run_axe(page, {"include": [[".md-content .highlight"]]}),
    )
    await button.click()
    # Wait out the note's fade-in: axe would measure a half-transparent note.
    await page.wait_for_function(
        "() => { const d = document.querySelector('.md-dialog--active');"
        " return d && getComputedStyle(d).opacity === '1'; }"
    )
    note(audit, "/", "copied note", await run_axe(page, {"include": [[".md-dialog"]]}))

    # A link in the text under the pointer: it takes the accent colour.
    link = page.locator(".md-content .md-typeset p a").first
    await link.hover()
    note(
        audit,
        "/",
        "link hovered",
        await run_axe(page, {"include": [[".md-content .md-typeset p:has(a)"]]}),
    )
    await page.close()


async def audit_site(url: str, paths: list[str], *, states: bool) -> dict[str, Audit]:
    """Each palette's audit of `paths` (and, with `states`, of the reader's states)."""
    audits = {
        palette: Audit(palette, findings=[], outputs=[], schemes={})
        for palette in PALETTES
    }
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:

            async def one_palette(palette: str) -> None:
                context = await browser.new_context(
                    color_scheme=palette,
                    viewport={"width": 1280, "height": 900},
                    permissions=["clipboard-read", "clipboard-write"],
                )
                context.set_default_timeout(WAIT_MS)
                context.set_default_navigation_timeout(WAIT_MS)
                try:
                    await audit_pages(context, audits[palette], url, paths)
                    if states:
                        await audit_states(context, audits[palette], url)
                finally:
                    await context.close()

            await asyncio.gather(*(one_palette(palette) for palette in PALETTES))
        finally:
            await browser.close()
    return audits


@pytest.fixture(scope="module")
def site_server(built_site: Path) -> Iterator[Server]:
    with serve_directory(built_site) as server:
        yield server


@pytest.fixture(scope="module")
def audits(built_site: Path, site_server: Server) -> dict[str, Audit]:
    return asyncio.run(audit_site(site_server.url, page_paths(built_site), states=True))


def nav_paths() -> list[str]:
    """The path of each page in mkdocs.yml's nav."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    files = [file for entry in config["nav"] for file in entry.values()]
    return [
        "/" if file == "index.md" else "/" + file.removesuffix(".md") + "/"
        for file in files
    ]


def test_the_audit_visits_every_page_of_the_nav_and_the_404_page(
    built_site: Path,
) -> None:
    assert set(page_paths(built_site)) == {*nav_paths(), "/404.html"}


@pytest.mark.parametrize("palette", PALETTES)
def test_every_page_passes_axe_wcag21_aa(
    audits: dict[str, Audit], built_site: Path, palette: str
) -> None:
    audit = audits[palette]
    assert audit.pages == len(page_paths(built_site))
    # Each page really showed the palette under test.
    assert set(audit.schemes.values()) == {PALETTES[palette]}, audit.schemes
    assert audit.findings == [], report(audit)


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


def report(audit: Audit) -> str:
    rules = ", ".join(AXE_TAGS + EXTRA_RULES)
    return (
        f"{len(audit.findings)} violations of axe-core {audit.axe_version} "
        f"({rules}):\n" + "\n".join(map(str, audit.findings))
    )


# The check must be able to fail: a page that breaks each rule the site once
# broke, the way the site broke it.
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


def test_the_audit_reports_each_kind_of_violation_readably(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(BAD_PAGE)
    with serve_directory(tmp_path) as server:
        audit = asyncio.run(audit_site(server.url, ["/"], states=False))["light"]

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
