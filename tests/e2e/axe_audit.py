"""axe-core over the built site in Debian's chromium: the rules, the scripts
that run in the page, and what a failure message lists.

axe-core is the axe.min.js that the pinned axe-playwright-python ships, so no
npm step is needed. Each page is audited once per palette, in a browser
context that prefers that colour scheme (as a reader's system would). Before
each run every tab panel of the page is shown, so the "Try it" panels with
their `#>` outputs are checked too, not only the first tab. A reader's other
states are checked on the home page (docs/index.md): the search dialog open with results,
a code block hovered with its copy button focused, the "Copied to clipboard"
note, and a hovered link.

The palettes go side by side: each page loads and is audited in every
palette's tab (one renderer process each) before the first result is awaited.
Every wait is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Browser, BrowserContext, Page

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

# Runs axe over `context` with the rules above: each violation's nodes with
# what a reader of the failure needs (the contrast figures, if any).
RUN_AXE = """
async (tags, extra, context) => {
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


# Each starter returns at once and leaves its outcome in window.auditOutcome
# (or the error), so that several tabs work at the same time; axe_outcome()
# waits for it. START_AXE runs axe alone; START_PAGE_AUDIT shows every tab
# panel first (SHOW_ALL_CSS and SHOW_ALL_JS) and measures the outputs after.
START_AXE = (
    "([tags, extra, context]) => { window.auditOutcome = null;"
    " (RUN_AXE)(tags, extra, context).then("
    " (result) => { window.auditOutcome = result; },"
    " (error) => { window.auditOutcome = {error: String(error)}; }); }"
).replace("RUN_AXE", RUN_AXE)
START_PAGE_AUDIT = (
    (
        "([tags, extra, css]) => { window.auditOutcome = null;"
        " const style = document.createElement('style');"
        " style.textContent = css; document.head.append(style);"
        " (async () => { await (SHOW_ALL_JS)();"
        " const result = await (RUN_AXE)(tags, extra, null);"
        " result.outputs = (OUTPUT_CONTRASTS)(); return result; })().then("
        " (result) => { window.auditOutcome = result; },"
        " (error) => { window.auditOutcome = {error: String(error)}; }); }"
    )
    .replace("SHOW_ALL_JS", SHOW_ALL_JS)
    .replace("RUN_AXE", RUN_AXE)
    .replace("OUTPUT_CONTRASTS", OUTPUT_CONTRASTS)
)


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
    findings: list[Finding] = field(default_factory=list)
    outputs: list[tuple[str, dict]] = field(default_factory=list)  # (page, #> contrast)
    schemes: dict[str, str] = field(default_factory=dict)  # page -> color scheme seen


def page_paths(site: Path) -> list[str]:
    """Every HTML page of the built site, as the path a browser asks for."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        paths.append("/" + relative.removesuffix("index.html"))
    return paths


def start(page: Page, script: str, arg: list) -> None:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    page.evaluate(script, arg)


def axe_outcome(page: Page) -> dict:
    page.wait_for_function(
        "() => window.auditOutcome !== null", polling=100, timeout=AXE_WAIT_S * 1000
    )
    outcome = page.evaluate("window.auditOutcome")
    assert "error" not in outcome, outcome
    return outcome


def run_axe(page: Page, context: object = None) -> dict:
    start(page, START_AXE, [AXE_TAGS, EXTRA_RULES, context])
    return axe_outcome(page)


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


def audit_pages(
    pages: dict[str, Page], audits: dict[str, Audit], url: str, paths: list[str]
) -> None:
    """Each path in every palette's tab, the tabs loading and auditing side by side."""
    for path in paths:
        for page in pages.values():
            page.goto(url + path, wait_until="commit")
        for palette, page in pages.items():
            page.wait_for_load_state("load")
            audits[palette].schemes[path] = page.evaluate(
                "document.body.dataset.mdColorScheme"
            )
            start(page, START_PAGE_AUDIT, [AXE_TAGS, EXTRA_RULES, SHOW_ALL_CSS])
        for palette, page in pages.items():
            audit = audits[palette]
            outcome = axe_outcome(page)
            note(audit, path, "every tab shown", outcome)
            audit.outputs += [(path, c) for c in outcome["outputs"]]
            audit.pages += 1


def audit_states(context: BrowserContext, audit: Audit, url: str) -> None:
    """What a reader of the home page (docs/index.md) does: search, copy, hover a link."""
    page = context.new_page()
    page.goto(url + "/", wait_until="load")

    # The search dialog, open, with results for a word the site uses a lot.
    page.keyboard.press("/")
    meta = page.locator(".md-search-result__meta")
    meta.get_by_text("Type to start searching").wait_for()
    page.locator("input.md-search__input").press_sequentially("response")
    meta.get_by_text("matching document").wait_for()
    note(audit, "/", "search open", run_axe(page, {"include": [[".md-search"]]}))
    page.keyboard.press("Escape")

    # A code block under the pointer, its copy button focused, then clicked.
    block = page.locator(".md-content .highlight").first
    block.hover()
    button = block.locator("button[data-md-type=copy]")
    button.focus()
    note(
        audit,
        "/",
        "copy button focused",
        run_axe(page, {"include": [[".md-content .highlight"]]}),
    )
    button.click()
    # Wait out the note's fade-in: axe would measure a half-transparent note.
    page.wait_for_function(
        "() => { const d = document.querySelector('.md-dialog--active');"
        " return d && getComputedStyle(d).opacity === '1'; }"
    )
    note(audit, "/", "copied note", run_axe(page, {"include": [[".md-dialog"]]}))

    # A link in the text under the pointer: it takes the accent colour.
    link = page.locator(".md-content .md-typeset p a").first
    link.hover()
    note(
        audit,
        "/",
        "link hovered",
        run_axe(page, {"include": [[".md-content .md-typeset p:has(a)"]]}),
    )
    page.close()


def audit_site(
    browser: Browser, url: str, paths: list[str], *, states: bool
) -> dict[str, Audit]:
    """Each palette's audit of `paths` (and, with `states`, of the reader's states)."""
    audits = {palette: Audit(palette) for palette in PALETTES}
    contexts: dict[str, BrowserContext] = {}
    try:
        for palette in PALETTES:
            context = browser.new_context(
                color_scheme=palette,
                viewport={"width": 1280, "height": 900},
                permissions=["clipboard-read", "clipboard-write"],
            )
            context.set_default_timeout(WAIT_MS)
            context.set_default_navigation_timeout(WAIT_MS)
            contexts[palette] = context
        pages = {palette: context.new_page() for palette, context in contexts.items()}
        audit_pages(pages, audits, url, paths)
        if states:
            for palette, context in contexts.items():
                audit_states(context, audits[palette], url)
    finally:
        for context in contexts.values():
            context.close()
    return audits


def report(audit: Audit) -> str:
    rules = ", ".join(AXE_TAGS + EXTRA_RULES)
    return (
        f"{len(audit.findings)} violations of axe-core {audit.axe_version} "
        f"({rules}):\n" + "\n".join(map(str, audit.findings))
    )
