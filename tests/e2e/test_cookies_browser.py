"""What Chromium stores and sends back for the cookies of docs/cookies.md.

Each test serves an example with a real uvicorn on 127.0.0.1 and drives
Debian's Chromium: the cookies are set by a `fetch` from the page, read back
through the browser's own cookie store (`context.cookies()`), through
`document.cookie` and through what the server receives.
"""

from __future__ import annotations

import subprocess
import time

import pytest
from playwright.sync_api import BrowserContext, Page

from tools.servers import serve

POST = "path => fetch(path, {method: 'POST'}).then(r => r.status)"
DAY = 24 * 3600


def stored(context: BrowserContext) -> dict[str, dict]:
    return {cookie["name"]: cookie for cookie in context.cookies()}


def names_sent(page: Page, url: str) -> list[str]:
    page.goto(url)
    return page.evaluate("JSON.parse(document.body.innerText)")


@pytest.mark.slow
def test_what_chromium_stores_for_each_attribute(context: BrowserContext) -> None:
    context.set_default_timeout(20_000)
    page = context.new_page()
    with serve("examples.cookies.attributes:app") as server:
        page.goto(f"{server.url}/echo")
        before = time.time()
        assert page.evaluate(POST, "/set") == 200
        after = time.time()
        jar = stored(context)
        script_sees = page.evaluate("document.cookie")
        at_root = names_sent(page, f"{server.url}/echo")
        under_admin = names_sent(page, f"{server.url}/admin/echo")
        other_host = server.url.replace("127.0.0.1", "localhost")
        at_localhost = names_sent(page, f"{other_host}/echo")

    # Domain=example.com on 127.0.0.1: refused, nothing stored;
    # SameSite=None without Secure: refused too
    assert sorted(jar) == [
        "admin_only",
        "cross_site",
        "https_only",
        "plain",
        "script_proof",
        "short",
        "strict",
        "until_2100",
    ]
    assert {name: c["httpOnly"] for name, c in jar.items() if c["httpOnly"]} == {
        "script_proof": True
    }
    # Secure cookies are kept, and sent back, on plain http://127.0.0.1
    assert {name for name, c in jar.items() if c["secure"]} == {
        "https_only",
        "cross_site",
    }
    assert {name: c["sameSite"] for name, c in jar.items()} == {
        "admin_only": "Lax",
        "cross_site": "None",
        "https_only": "Lax",
        "plain": "Lax",
        "script_proof": "Lax",
        "short": "Lax",
        "strict": "Strict",
        "until_2100": "Lax",
    }
    assert jar["admin_only"]["path"] == "/admin"
    # no Max-Age and no Expires: kept until the session ends, normally when the browser closes
    assert jar["plain"]["expires"] == -1
    assert before + 60 - 5 <= jar["short"]["expires"] <= after + 60 + 5
    # Chromium caps a lifetime at 400 days: 2100 becomes 400 days from now
    assert (
        before + 400 * DAY - 5 <= jar["until_2100"]["expires"] <= after + 400 * DAY + 5
    )
    # HttpOnly hides the cookie from scripts only
    assert "script_proof" not in script_sees
    assert sorted(c.split("=")[0] for c in script_sees.split("; ")) == [
        "cross_site",
        "https_only",
        "plain",
        "short",
        "strict",
        "until_2100",
    ]
    assert at_root == sorted(set(jar) - {"admin_only"})
    assert under_admin == sorted(jar)
    # another host name for the same server gets none of them
    assert at_localhost == []


@pytest.mark.slow
def test_a_link_from_another_site_sends_lax_cookies_but_not_strict(
    context: BrowserContext,
) -> None:
    context.set_default_timeout(20_000)
    page = context.new_page()
    with serve("examples.cookies.attributes:app") as server:
        page.goto(f"{server.url}/echo")
        assert page.evaluate(POST, "/set") == 200
        same_site = names_sent(page, f"{server.url}/echo")
        # http://localhost is another site than http://127.0.0.1
        other_site = server.url.replace("127.0.0.1", "localhost")
        page.goto(f"{other_site}/echo")
        page.set_content(f'<a id="go" href="{server.url}/echo">go</a>')
        page.click("#go")
        page.wait_for_url(f"{server.url}/echo")
        from_other_site = page.evaluate("JSON.parse(document.body.innerText)")

    assert "strict" in same_site
    assert sorted(set(same_site) - set(from_other_site)) == ["strict"]


@pytest.mark.slow
def test_logout_removes_the_session_cookie_from_chromium(
    context: BrowserContext,
) -> None:
    context.set_default_timeout(20_000)
    page = context.new_page()
    with serve("examples.cookies.session_cookie:app") as server:
        page.goto(f"{server.url}/whoami")
        assert page.evaluate(POST, "/login") == 200
        logged_in = sorted(stored(context))
        secure_in = {name: c["secure"] for name, c in stored(context).items()}
        page.goto(f"{server.url}/whoami")
        seen_in = page.evaluate("JSON.parse(document.body.innerText)")
        assert page.evaluate(POST, "/logout") == 200
        logged_out = sorted(stored(context))
        page.goto(f"{server.url}/whoami")
        seen_out = page.evaluate("JSON.parse(document.body.innerText)")

    assert logged_in == ["session", "theme"]
    # a Secure cookie, kept on plain http://127.0.0.1, which Chromium treats as secure
    assert secure_in == {"session": True, "theme": False}
    assert seen_in == {"user": "ada", "theme": "dark"}
    assert logged_out == ["theme"]
    assert seen_out == {"user": None, "theme": "dark"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "script_sees"),
    [
        ("readable_session", "session=s3cr3t-token"),
        ("session_httponly", "theme=dark"),
    ],
)
def test_a_page_script_reads_the_session_only_without_httponly(
    context: BrowserContext, module: str, script_sees: str
) -> None:
    context.set_default_timeout(20_000)
    page = context.new_page()
    with serve(f"examples.cookies.{module}:app") as server:
        page.goto(f"{server.url}/")
        assert page.evaluate(POST, "/login") == 200
        with page.expect_request(f"{server.url}/") as request:
            page.goto(f"{server.url}/")
        sent = request.value.all_headers().get("cookie", "")
        seen = page.inner_text("#seen")
        jar = stored(context)

    assert seen == script_sees
    assert jar["session"]["value"] == "s3cr3t-token"  # stored in both cases
    # and sent to the server in both cases
    assert "session=s3cr3t-token" in sent.split("; ")


@pytest.mark.slow
def test_an_injected_max_age_outlives_the_browser_session(
    context: BrowserContext,
) -> None:
    context.set_default_timeout(20_000)
    page = context.new_page()
    attack = "/view?view=table&section=/;%20Max-Age=99999999"
    lifetimes: dict[str, float] = {}
    statuses: dict[str, int] = {}
    for module in ["attribute_injection", "attribute_fixed"]:
        context.clear_cookies()
        with serve(f"examples.cookies.{module}:app") as server:
            page.goto(f"{server.url}/docs")
            statuses[module] = page.evaluate(POST, attack)
            lifetimes[module] = stored(context).get("view", {}).get("expires", 0)

    assert statuses == {"attribute_injection": 200, "attribute_fixed": 422}
    # the mistake's cookie was meant to end with the session; now it lasts 400 days
    assert lifetimes["attribute_injection"] > time.time() + 399 * DAY
    assert lifetimes["attribute_fixed"] == 0  # nothing stored


def post(curl: str, url: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [curl, "-si", "-X", "POST", url], capture_output=True, timeout=30, check=False
    )


@pytest.mark.parametrize(
    "section",
    ["/%0D%0AX:%201", "/%0AX:%201", "/%00"],
    ids=["cr-lf", "lf", "nul"],
)
def test_uvicorn_refuses_a_control_character_that_reached_an_attribute(
    curl: str, section: str
) -> None:
    with serve("examples.cookies.attribute_injection:app") as server:
        value = post(curl, f"{server.url}/view?view=a%0D%0AX:%201")
        path = post(curl, f"{server.url}/view?view=a&section={section}")
    with serve("examples.cookies.attribute_fixed:app") as server:
        fixed = post(curl, f"{server.url}/view?view=a&section={section}")

    # in the value: escaped, one header line
    assert value.returncode == 0
    assert (
        b'set-cookie: view="a\\015\\012X: 1"; HttpOnly; Path=/; SameSite=lax\r\n'
        in (value.stdout)
    )
    # in the path: h11 refuses the header, and curl gets no answer at all
    assert path.returncode == 52  # "Empty reply from server"
    assert path.stdout == b""
    # the fix: refused with a 422 before any cookie is made
    assert fixed.returncode == 0
    assert fixed.stdout.startswith(b"HTTP/1.1 422 ")
    assert b"set-cookie" not in fixed.stdout.lower()
