"""The Run buttons, in Debian's chromium against the built site, offline.

For every page with examples: each example that runs in the browser shows,
after Run, exactly what it prints under Python (run here, in this process, as
`python -m` would); each one that does not says why, with its command; no
Python is downloaded before the first Run, and nothing at all from another
host (every such request is blocked and counted). Editing shows the edited
output, Reset restores the file, Stop and the run limit end an endless loop.

The figures (first Run on a page, later Runs, bytes downloaded, compressed as
the static server sends them) go to build/run-in-browser.json, and the last
test holds them to the budgets; the e2e session prints them at the end.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import runpy
import statistics
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Request, Route

from tools.browser_runtime import examples_manifest
from tools.servers import Server, serve_directory

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "build" / "run-in-browser.json"
FIRST_RUN_BUDGET_S = 5.0
LATER_RUN_BUDGET_S = 0.5
DOWNLOAD_BUDGET_BYTES = 12_000_000
RUN_WAIT_MS = 60_000  # one Run, Python's start included, on a busy machine

MANIFEST = examples_manifest()
TRY_IT = re.compile(r'--8<-- "(examples/[^":]+\.py):try_it"')


def pages() -> dict[str, list[str]]:
    """Page URL path -> the examples whose "Try it" it shows, in page order."""
    found = {}
    for doc in sorted((ROOT / "docs").glob("*.md")):
        shown = list(dict.fromkeys(TRY_IT.findall(doc.read_text())))
        if shown:
            found["" if doc.stem == "index" else f"{doc.stem}/"] = shown
    return found


PAGES = pages()
FIGURES_BY_PAGE: dict[str, dict] = {}


@pytest.fixture(scope="module")
def site(built_site: Path) -> Iterator[Server]:
    assert (built_site / "run" / "runtime" / "examples.json").is_file(), (
        "the built site has no browser runtime: run `python -m tools.browser_runtime` "
        "before `mkdocs build` (the e2e session does)"
    )
    with serve_directory(built_site, gzip=True) as server:
        yield server


@pytest.fixture
def context(context: BrowserContext) -> BrowserContext:
    context.set_default_timeout(RUN_WAIT_MS)
    return context


class Traffic:
    """Every request the page makes: blocked when it leaves the site."""

    def __init__(self, page: Page, site: Server) -> None:
        self.origin = f"http://{site.host}:{site.port}"
        self.requests: list[Request] = []
        self.other_hosts: list[str] = []
        page.on("request", lambda request: self.requests.append(request))
        page.route("**/*", self.route)

    def route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(self.origin + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.other_hosts.append(url)
            route.abort("blockedbyclient")

    def python_requests(self) -> list[str]:
        return [
            request.url
            for request in self.requests
            if re.search(r"/run/(runtime/(pyodide|wheels|examples\.zip)|worker|runner)", request.url)
        ]

    def downloaded_bytes(self) -> int:
        """Bytes on the wire (bodies as sent, gzip included) of every request."""
        total = 0
        for request in self.requests:
            response = request.response()
            if response is not None:
                total += request.sizes()["responseBodySize"]
        return total


def python_output(path: str) -> str:
    """What the example prints run as `python -m` (its try-it part)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(ROOT / path), run_name="__main__")
    return out.getvalue()


# Clicks the label of every tab the element sits in, outermost first.
REVEAL = """element => {
    const blocks = [];
    for (let e = element.closest('.tabbed-block'); e; e = e.parentElement.closest('.tabbed-block')) {
        blocks.unshift(e);
    }
    for (const block of blocks) {
        const index = [...block.parentElement.children].indexOf(block);
        block.closest('.tabbed-set').querySelectorAll(':scope > .tabbed-labels > label')[index].click();
    }
}"""


def run(page: Page, path: str) -> dict:
    """Press the example's Run and wait for its result."""
    bar = page.locator(f'.guide-run[data-example="{path}"]')
    bar.evaluate(REVEAL)  # a reader opens the tab it is in first
    bar.get_by_role("button", name="Run").click()
    page.wait_for_function(
        "bar => bar.querySelector('.guide-run__output').dataset.seconds"
        " || /^(Could not|Stopped)/.test(bar.querySelector('.guide-run__status').textContent)",
        arg=bar.element_handle(),
        timeout=RUN_WAIT_MS,
    )
    return bar.evaluate(
        """bar => {
            const out = bar.querySelector('.guide-run__output');
            const text = (node) => node.nodeType === 3;
            return {
                status: bar.querySelector('.guide-run__status').textContent,
                stdout: [...out.childNodes].filter(text).map(n => n.textContent).join(''),
                stderr: [...out.querySelectorAll('.guide-run__stderr')].map(n => n.textContent).join(''),
                seconds: Number(out.dataset.seconds),
                first: out.dataset.first === 'true',
                timings: out.dataset.timings ? JSON.parse(out.dataset.timings) : null,
            };
        }"""
    )


@pytest.mark.slow
@pytest.mark.parametrize("url", PAGES, ids=lambda url: url.strip("/") or "index")
def test_every_example_on_the_page(page: Page, site: Server, url: str) -> None:
    traffic = Traffic(page, site)
    page.goto(f"{traffic.origin}/{url}")
    shown = PAGES[url]
    runnable = [path for path in shown if MANIFEST[path]["runs_in_browser"]]
    server_only = [path for path in shown if not MANIFEST[path]["runs_in_browser"]]
    page.wait_for_function(
        "n => document.querySelectorAll('.guide-run').length === n",
        arg=len(shown),
    )
    assert [
        bar.get_attribute("data-example")
        for bar in page.locator(".guide-run[data-example]").all()
    ] == runnable
    for path in server_only:
        note = page.locator(".guide-run--server-only").filter(
            has_text=MANIFEST[path]["command"]
        )
        assert note.count() == 1, path
        assert MANIFEST[path]["reason"] in note.inner_text()
    assert traffic.python_requests() == [], "Python was downloaded before Run"

    seconds = []
    differ = []  # every example that shows something else, not only the first
    for path in runnable:
        result = run(page, path)
        expected = python_output(path)
        if not result["status"].startswith("Finished") or result["stderr"]:
            differ.append(f"{path}: {result['status']}\n{result['stderr'][-1500:]}")
        elif result["stdout"] != expected:
            differ.append(
                f"{path}: prints\n{result['stdout'][-1500:]}\ninstead of\n{expected[-1500:]}"
            )
        seconds.append(result["seconds"])
        if result["first"]:
            timings = result["timings"]
    if differ:
        pytest.fail("\n\n".join(differ), pytrace=False)
    assert traffic.other_hosts == []
    if runnable:
        FIGURES_BY_PAGE[url] = {
            "first_run_s": seconds[0],
            "later_runs_s": seconds[1:],
            "downloaded_bytes": traffic.downloaded_bytes(),
            "startup_ms": timings,
        }
