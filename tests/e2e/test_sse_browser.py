"""What EventSource in Chromium can and cannot do (docs/server_sent_events.md):
six streams per origin over HTTP/1.1, across all the tabs of the browser, then
everything else to that origin waits; cookies go along with the stream, so a
cookie can sign a feed in, but headers you pass do not; Last-Event-ID goes only
once there is an id to send.

Debian's chromium, through pytest-playwright's fixtures (tests/e2e/conftest.py).
Every wait in the page is bounded (WAIT_MS), the browser is closed and the
server stopped by its PID.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest
from playwright.sync_api import BrowserContext, Response, Route

from tools.servers import Server, serve

WAIT_MS = 2_000  # how long the page gives streams to open, or a fetch to answer
FEED = "/notifications?count=100"  # 100 events, one a second: open for the test


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve(
        "examples.server_sent_events.cookie_auth:app", overrides={"INTERVAL": 1.0}
    ) as server:
        yield server


@pytest.fixture
def context(context: BrowserContext, server: Server) -> BrowserContext:
    """pytest-playwright's fresh context for each test, with longer waits."""
    context.set_default_timeout(10 * WAIT_MS)
    return context


# Opens `count` EventSources on the page's origin, waits, then tries a plain
# fetch to the same origin (given up after waitMs), then closes the first
# stream and waits again. Reports which streams had opened at each point.
SEVEN_STREAMS = """
async ([path, count, waitMs]) => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const opened = [];
  const sources = [];
  for (let i = 0; i < count; i++) {
    const source = new EventSource(path);
    source.onopen = () => opened.push(i);
    sources.push(source);
  }
  await sleep(waitMs);
  const openedFirst = [...opened].sort();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), waitMs);
  let fetched;
  try {
    fetched = (await fetch("/openapi.json", {signal: controller.signal})).status;
  } catch (error) {
    fetched = error.name;  // "AbortError": still waiting when given up
  }
  clearTimeout(timer);
  sources[0].close();  // frees a connection
  await sleep(waitMs);
  const openedLater = [...opened].sort();
  const states = sources.map((source) => source.readyState);
  sources.forEach((source) => source.close());
  return {openedFirst, fetched, openedLater, states};
}
"""


@pytest.mark.slow
def test_a_seventh_event_source_waits_and_so_does_every_other_request(
    context: BrowserContext, server: Server
) -> None:
    context.add_cookies([{"name": "session", "value": "s3cr3t-ada", "url": server.url}])
    page = context.new_page()
    page.goto(server.url + "/openapi.json")  # the examples' origin; no CORS needed

    result = page.evaluate(SEVEN_STREAMS, [FEED, 7, WAIT_MS])

    # Six streams open; the seventh gets no connection (HTTP/1.1 allows six
    # per origin), and a fetch to the same origin waits behind it.
    assert result["openedFirst"] == [0, 1, 2, 3, 4, 5]
    assert result["fetched"] == "AbortError"
    # Closing one stream frees a connection: the seventh opens.
    assert result["openedLater"] == [0, 1, 2, 3, 4, 5, 6]
    assert result["states"] == [2, 1, 1, 1, 1, 1, 1]  # 2 closed, 1 open


# Opens `count` EventSources and keeps them in `window.sources`; after waitMs,
# reports which had opened.
OPEN_STREAMS = """
async ([path, count, waitMs]) => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  window.opened = [];
  window.sources = [];
  for (let i = 0; i < count; i++) {
    const source = new EventSource(path);
    source.onopen = () => window.opened.push(i);
    window.sources.push(source);
  }
  await sleep(waitMs);
  return [...window.opened].sort();
}
"""
CLOSE_STREAMS = "() => window.sources.forEach((source) => source.close())"


@pytest.mark.slow
def test_the_six_connections_are_shared_by_every_tab_of_the_browser(
    context: BrowserContext, server: Server
) -> None:
    context.add_cookies([{"name": "session", "value": "s3cr3t-ada", "url": server.url}])
    tab_a, tab_b = context.new_page(), context.new_page()
    tab_a.goto(server.url + "/openapi.json")
    tab_b.goto(server.url + "/openapi.json")

    try:
        opened_a = tab_a.evaluate(OPEN_STREAMS, [FEED, 4, WAIT_MS])
        opened_b = tab_b.evaluate(OPEN_STREAMS, [FEED, 3, WAIT_MS])
    finally:
        for tab in (tab_a, tab_b):
            tab.evaluate(CLOSE_STREAMS)

    # Four in one tab leave two connections for the other: one stream per tab
    # does not avoid the limit once a user has several tabs open.
    assert opened_a == [0, 1, 2, 3]
    assert opened_b == [0, 1]


ONE_STREAM = """
async ([path, waitMs]) => new Promise((resolve) => {
  const log = [];
  const source = new EventSource(path);
  const done = () => { source.close(); resolve({log, state: source.readyState}); };
  source.onopen = () => log.push("open");
  source.onmessage = (event) => { log.push(event.data); done(); };
  source.onerror = () => {
    log.push("error");
    // Closed for good (2) or about to reconnect (0)? Give it a moment.
    setTimeout(() => { log.push(`state ${source.readyState}`); done(); }, waitMs);
  };
})
"""


def test_the_cookie_signs_the_stream_in_and_without_it_event_source_gives_up(
    context: BrowserContext, server: Server
) -> None:
    page = context.new_page()
    page.goto(server.url + "/openapi.json")
    statuses: list[int] = []

    def record(response: Response) -> None:
        if response.url.endswith(FEED):
            statuses.append(response.status)

    page.on("response", record)

    without = page.evaluate(ONE_STREAM, [FEED, WAIT_MS])
    statuses_without = list(statuses)
    context.add_cookies([{"name": "session", "value": "s3cr3t-ada", "url": server.url}])
    signed_in = page.evaluate(ONE_STREAM, [FEED, WAIT_MS])

    # A 401 is not an event stream: EventSource fails and does not retry.
    assert statuses_without == [401]
    assert without["log"] == ["error", "state 2"]
    assert statuses == [401, 200]
    assert signed_in["log"] == ["open", '{"to": "ada", "n": 1}']


@pytest.mark.slow
def test_a_bad_last_event_id_gets_a_422_and_event_source_stops_asking(
    context: BrowserContext,
) -> None:
    requests: list[str] = []

    def with_bad_id(route: Route) -> None:
        # EventSource sets Last-Event-ID itself; the test makes it a bad one.
        requests.append(route.request.url)
        route.continue_(headers={**route.request.headers, "last-event-id": "abc"})

    page = context.new_page()
    with serve("examples.server_sent_events.resume_last_event_id:app") as server:
        page.goto(server.url + "/openapi.json")
        page.route("**/messages", with_bad_id)
        # Long enough for a reconnect: EventSource waits about 3 s by default.
        result = page.evaluate(ONE_STREAM, ["/messages", 4_500])

    # Before the fix the reply was a 200 stream that broke off: this log was
    # ["open", "error", "state 0"], EventSource about to reconnect with the
    # same bad id, as it does after any stream that ends.
    assert result["log"] == ["error", "state 2"]
    assert len(requests) == 1


# Opens one EventSource for waitMs (long enough for one reconnect), then closes
# it; returns the data of every event it got.
COLLECT = """
async ([path, waitMs]) => {
  const data = [];
  const source = new EventSource(path);
  source.onmessage = (event) => data.push(event.data);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  source.close();
  return data;
}
"""


@pytest.mark.slow
def test_chromium_sends_last_event_id_only_once_it_has_an_id(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    with serve("tests.e2e.apps.resume_observed:app") as server:
        page.goto(server.url + "/openapi.json")
        # The feed ends after its 4 messages; EventSource reconnects after
        # about 3 s, sending the last id it got.
        data = page.evaluate(COLLECT, ["/messages", 4_500])
        seen = httpx2.get(server.url + "/__seen", timeout=10).json()

    assert data == ["hello", "how are you?", "fine, thanks", "bye"]
    # First request: no id yet, so no header at all (not an empty one). The
    # reconnect carries the last id it got.
    assert [request["last-event-id"] for request in seen[:2]] == [None, "3"]


# EventSource with its one option, and a `headers` option it does not have.
WITH_OPTIONS = """
async ([path, waitMs]) => {
  const source = new EventSource(path, {
    withCredentials: true,
    headers: {Authorization: "Bearer abc"},
  });
  const opened = await new Promise((resolve) => {
    source.onopen = () => resolve(true);
    setTimeout(() => resolve(false), waitMs);
  });
  source.close();
  return {opened, withCredentials: source.withCredentials};
}
"""


def test_event_source_takes_with_credentials_but_sends_no_headers_you_give_it(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    with serve("tests.e2e.apps.resume_observed:app") as server:
        page.goto(server.url + "/openapi.json")
        result = page.evaluate(WITH_OPTIONS, ["/messages", WAIT_MS])
        seen = httpx2.get(server.url + "/__seen", timeout=10).json()

    assert result == {"opened": True, "withCredentials": True}
    assert seen == [{"last-event-id": None, "authorization": None}]
