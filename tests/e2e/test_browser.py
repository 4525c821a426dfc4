"""What a reader's browser does: EventSource against the SSE examples, and the site.

Debian's chromium, through pytest-playwright's `page` fixture (launched as
tests/e2e/conftest.py says; Playwright never downloads a browser of its own
here). Every wait is bounded; the browser is closed and every server is
stopped by its PID when the tests end.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Request,
    Response,
    expect,
)

from tests.consistency import sections
from tools.servers import Server, serve, serve_directory

ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 5_000  # any single wait in a page: load, selector, clipboard
SSE_WAIT_MS = 10_000  # a whole EventSource script, reconnects included
SCREENS = Path("/tmp/screens")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {
        **browser_context_args,
        "permissions": ["clipboard-read", "clipboard-write"],
        "color_scheme": "light",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def context(context: BrowserContext) -> BrowserContext:
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(2 * WAIT_MS)
    return context


# --- EventSource against the server-sent events examples -------------------

# Opens an EventSource on the page's origin and logs what the page sees, in
# order: "open", "error" (the stream ended; EventSource will reconnect) and
# each event of the listened-for types, with the ms since the start. Stops
# when `until` is met, or after SSE_WAIT_MS with `timedOut` set.
EVENT_SOURCE = """
([path, types, until, limitMs]) => new Promise((resolve) => {
  const log = [];
  const started = performance.now();
  const source = new EventSource(path);
  const done = (timedOut) => {
    source.close();
    clearTimeout(timer);
    resolve({log, timedOut});
  };
  const timer = setTimeout(() => done(true), limitMs);
  const note = (entry) => {
    log.push({...entry, ms: performance.now() - started});
    const count = log.filter((e) => e.type === until.type).length;
    if (count >= until.count) done(false);
  };
  source.onopen = () => note({type: "open"});
  source.onerror = () => note({type: "error"});
  for (const type of types) {
    source.addEventListener(type, (e) => {
      note({type: e.type, data: e.data, id: e.lastEventId});
    });
  }
})
"""


def listen(
    page: Page,
    server: Server,
    path: str,
    *,
    types: list[str],
    until: tuple[str, int],
) -> list[dict]:
    """The page's log of an EventSource on `path`, opened from the server's origin."""
    page.goto(f"{server.url}/openapi.json")  # same origin: the examples send no CORS
    result = page.evaluate(
        EVENT_SOURCE,
        [path, types, {"type": until[0], "count": until[1]}, SSE_WAIT_MS],
    )
    assert not result["timedOut"], result["log"]
    return result["log"]


def events(log: list[dict]) -> list[tuple[str, str, str]]:
    return [(e["type"], e["data"], e["id"]) for e in log if "data" in e]


def test_event_source_gets_the_ticks_in_order_as_they_are_sent(page: Page) -> None:
    # A slower tick than the example's, so "as they are sent" shows in the times.
    with serve(
        "examples.server_sent_events.ticks_event_source:app",
        overrides={"INTERVAL": 0.3},
    ) as server:
        log = listen(
            page, server, "/ticks?count=4", types=["tick", "message"], until=("tick", 4)
        )

    assert events(log) == [("tick", f'{{"tick": {n}}}', str(n)) for n in range(1, 5)]
    # Named events reach only their own listener, never the plain "message" one.
    assert [e["type"] for e in log] == ["open", "tick", "tick", "tick", "tick"]
    # Each tick arrived when it was sent, not all at once when the stream ended.
    ticks = [e["ms"] for e in log if e["type"] == "tick"]
    assert ticks[-1] - ticks[0] >= 3 * 300 / 2  # buffered, they would be ~0 ms apart


@pytest.mark.slow
def test_event_source_reconnects_with_last_event_id_and_the_feed_resumes(
    page: Page,
) -> None:
    streams: list[Request] = []

    def note(request: Request) -> None:
        if request.resource_type == "eventsource":
            streams.append(request)

    page.on("request", note)
    with serve("examples.server_sent_events.resume_last_event_id:app") as server:
        # The first stream ends after the last message; the browser reconnects
        # by itself (after its default delay of about 3 s) and that second
        # stream is empty, so it ends too.
        log = listen(page, server, "/messages", types=["message"], until=("error", 2))

    assert [e["type"] for e in log] == (
        ["open"] + ["message"] * 4 + ["error"] + ["open", "error"]
    )
    assert events(log) == [
        ("message", "hello", "0"),
        ("message", "how are you?", "1"),
        ("message", "fine, thanks", "2"),
        ("message", "bye", "3"),
    ]
    headers = [request.all_headers() for request in streams]
    assert [h.get("last-event-id") for h in headers] == [None, "3"]
    assert all(h["accept"] == "text/event-stream" for h in headers)


@pytest.mark.slow
def test_event_source_sees_names_and_raw_data_skips_comments_and_obeys_retry(
    page: Page,
) -> None:
    with serve("examples.server_sent_events.what_you_can_yield:app") as server:
        log = listen(
            page, server, "/mixed", types=["message", "status"], until=("open", 2)
        )

    first_stream = log[: [e["type"] for e in log].index("error") + 1]
    assert [e["type"] for e in first_stream] == (
        ["open"] + ["message"] * 4 + ["status", "error"]
    )  # the trailing comment fired nothing
    assert events(first_stream) == [
        ("message", '{"symbol":"ACME","value":12.5}', ""),
        ("message", '{"symbol":"ACME","value":12.75}', ""),
        ("message", '"market open"', ""),
        ("message", "market open", ""),
        ("status", '"closing"', "7"),
    ]
    # retry: 5000 on the "status" event: the reconnect waits 5 s (default is ~3 s).
    error, reopen = log[len(first_stream) - 1], log[len(first_stream)]
    assert reopen["type"] == "open"
    assert reopen["ms"] - error["ms"] >= 5000 - 50


# --- The built site ---------------------------------------------------------


@pytest.fixture(scope="module")
def site_server(built_site: Path) -> Iterator[Server]:
    with serve_directory(built_site) as server:
        yield server


def page_urls(site: Path, server: Server) -> list[str]:
    """The URL of every page of the site: each index.html, as a directory URL."""
    urls = []
    for index in sorted(site.rglob("index.html")):
        folder = index.parent.relative_to(site).as_posix()
        urls.append(f"{server.url}/" if folder == "." else f"{server.url}/{folder}/")
    return urls


@dataclass
class Watch:
    """What a page did that a reader would not want: errors, other hosts, 404s."""

    origin: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", self._page_error)
        page.on("request", self._request)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {message.page.url}: {message.text}")

    def _page_error(self, error: Error) -> None:
        self.problems.append(f"uncaught {error.name}: {error.message}")

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)
        scheme, netloc = urlsplit(request.url)[:2]
        if scheme not in {"data", "blob"} and f"{scheme}://{netloc}" != self.origin:
            self.problems.append(f"request to another host: {request.url}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")


def visit(page: Page, origin: str, urls: list[str]) -> Watch:
    watch = Watch(origin)
    watch.attach(page)
    for url in urls:
        page.goto(url, wait_until="load")
        # The search worker fetches its index after load; let that finish too.
        page.wait_for_load_state("networkidle")
    return watch


@pytest.mark.slow
def test_every_page_loads_without_errors_or_requests_to_other_hosts(
    page: Page, built_site: Path, site_server: Server
) -> None:
    urls = page_urls(built_site, site_server)
    assert f"{site_server.url}/files/" in urls
    assert len(urls) >= 10

    watch = visit(page, site_server.url, urls)

    assert watch.problems == [], "\n".join(watch.problems)
    assert set(urls) <= set(watch.requests)
    assert f"{site_server.url}/search/search_index.json" in watch.requests


def test_the_page_watch_reports_other_hosts_console_errors_and_404s(
    page: Page, tmp_path: Path
) -> None:
    # The check above must be able to fail: a page that does each bad thing once.
    (tmp_path / "index.html").write_text(
        "<!doctype html><title>bad</title>"
        '<script src="https://cdn.example.com/library.js"></script>'
        '<script src="/missing.js"></script>'
        "<script>console.error('boom'); null.oops;</script>"
    )
    with serve_directory(tmp_path) as server:
        watch = visit(page, server.url, [f"{server.url}/"])

    assert "https://cdn.example.com/library.js" in watch.requests
    problems = {p.replace(server.url, "SITE") for p in watch.problems}
    assert problems >= {
        "request to another host: https://cdn.example.com/library.js",
        "404 for SITE/missing.js",
        "console error on SITE/: boom",
        "uncaught TypeError: Cannot read properties of null (reading 'oops')",
    }


TEACHING_PAGE = {
    "JSONResponse": "json_response",
    "StreamingResponse": "streaming",
    "EventSourceResponse": "server_sent_events",
    "FileResponse": "files",
    "HTMLResponse": "html_and_text",
    "PlainTextResponse": "html_and_text",
    "ORJSONResponse": "default_response_class",
}


@pytest.mark.parametrize(("name", "teacher"), TEACHING_PAGE.items())
def test_search_finds_each_response_class_on_the_page_that_teaches_it(
    page: Page, site_server: Server, name: str, teacher: str
) -> None:
    page.goto(f"{site_server.url}/")
    page.keyboard.press("/")  # Material's shortcut: focus the search box
    box = page.locator("input.md-search__input")
    expect(box).to_be_focused()
    # Typing before the search worker is ready would be dropped.
    expect(page.locator(".md-search-result__meta")).to_have_text(
        "Type to start searching"
    )
    box.press_sequentially(name)
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching document")

    links = page.locator(".md-search-result__item a.md-search-result__link")
    hrefs = links.evaluate_all("links => links.map(link => link.href)")
    paths = {urlsplit(href).path for href in hrefs}
    assert f"/{teacher}/" in paths, sorted(paths)


@pytest.mark.parametrize(("tab", "section"), [("App", "app"), ("Try it", "try_it")])
def test_the_copy_button_copies_exactly_the_code_shown(
    page: Page, site_server: Server, tab: str, section: str
) -> None:
    example = "examples/index/typed_items.py"
    page.goto(f"{site_server.url}/")
    tabs = page.locator(".tabbed-set").filter(
        has=page.locator(".filename", has_text=example)
    )
    tabs.locator(".tabbed-labels label", has_text=tab).click()
    block = tabs.locator(".tabbed-block:visible .highlight")
    shown = block.locator("code").inner_text()

    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")

    assert copied.rstrip("\n") == shown.rstrip("\n")
    source = sections((ROOT / example).read_text())[section]
    assert copied.rstrip("\n") == source.rstrip("\n")


def test_index_reads_in_light_and_dark_palettes(
    page: Page, site_server: Server
) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{site_server.url}/")

    body = page.locator("body")

    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.screenshot(path=SCREENS / "index-light.png")

    page.get_by_title("Switch to dark mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.screenshot(path=SCREENS / "index-dark.png")
