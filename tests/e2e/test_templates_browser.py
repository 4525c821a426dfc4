"""Templates in Chromium (docs/templates.md), on a real uvicorn: a script the
client sends runs against each way of turning escaping off and not against the
autoescaped page, and a value written into a <script> runs as code against the
mistake and stays a string against the |tojson fix; |tojson in a
double-quoted attribute lets a handler in, in single quotes or as a data-
attribute it does not.

Each injected script sets `window.pwned`; an inline script runs while the page
is parsed, so when `goto` returns (the load event) it has run or never will.
"""

from __future__ import annotations

from urllib.parse import urlencode

import httpx2
import jinja2
import pytest
from playwright.sync_api import BrowserContext

from tools.servers import serve

TIMEOUT = 20_000  # ms, for a loaded 2-core machine
NAME = "<script>window.pwned=1</script>"
VISITS = "0;window.pwned=1"
PWNED = "() => window.pwned === 1"


def visit(context: BrowserContext, url: str) -> tuple[bool, str]:
    """Open url; say whether the injected script ran, and the page's text."""
    page = context.new_page()
    try:
        page.goto(url)
        return page.evaluate(PWNED), page.inner_text("body")
    finally:
        page.close()


@pytest.mark.slow
def test_a_script_in_the_name_runs_only_where_escaping_is_off(
    context: BrowserContext,
) -> None:
    context.set_default_timeout(TIMEOUT)
    query = urlencode({"name": NAME})
    with serve("examples.templates.escaping_off:app") as mistake:
        off = {
            path: visit(context, f"{mistake.url}{path}?{query}")
            for path in ("/plain", "/safe-filter", "/markup")
        }
    with serve("examples.templates.greeting_page:app") as fixed:
        escaped = visit(context, f"{fixed.url}/hello?{query}")

    assert off == {
        "/plain": (True, "Hello, !"),
        "/safe-filter": (True, "Hello, !"),
        "/markup": (True, "Hello, !"),
    }
    ran, text = escaped
    assert not ran
    assert text.startswith(f"Hello, {NAME}!")


@pytest.mark.slow
def test_a_value_in_a_script_runs_as_code_unless_it_goes_through_tojson(
    context: BrowserContext,
) -> None:
    context.set_default_timeout(TIMEOUT)
    attack = urlencode({"visits": VISITS})
    tag = urlencode({"visits": "</script><b>"})
    with serve("examples.templates.script_data:app") as mistake:
        ran_mistake = visit(context, f"{mistake.url}/visits?{attack}")
        tag_mistake = visit(context, f"{mistake.url}/visits?{tag}")
    with serve("examples.templates.script_data_fixed:app") as fixed:
        ran_fixed = visit(context, f"{fixed.url}/visits?{attack}")
        tag_fixed = visit(context, f"{fixed.url}/visits?{tag}")

    assert ran_mistake == (True, "Visit number 0")
    assert ran_fixed == (False, f"Visit number {VISITS}")
    # the escaped tag is no JavaScript: the mistake's script fails, nothing shows
    assert tag_mistake == (False, "")
    assert tag_fixed == (False, "Visit number </script><b>")


@pytest.mark.slow
def test_a_javascript_link_runs_on_click_unless_the_scheme_is_checked(
    context: BrowserContext,
) -> None:
    context.set_default_timeout(TIMEOUT)
    tricks = [
        "javascript:window.pwned=1",
        "JAVASCRIPT:window.pwned=1",
        " javascript:window.pwned=1",
        "\x01javascript:window.pwned=1",
        "java\tscript:window.pwned=1",
        "java\nscript:window.pwned=1",
    ]
    clicked: dict[str, bool] = {}
    with serve("examples.templates.profile_link:app") as mistake:
        for trick in tricks:
            page = context.new_page()
            page.goto(f"{mistake.url}/profile?{urlencode({'website': trick})}")
            assert not page.evaluate(PWNED)
            page.click("#site")
            page.wait_for_function(PWNED)  # or time out: the click ran nothing
            clicked[trick] = page.evaluate(PWNED)
            page.close()
    refused: dict[str, tuple[int, int]] = {}
    with serve("examples.templates.profile_link_fixed:app") as fixed:
        for trick in tricks:
            page = context.new_page()
            answer = page.goto(f"{fixed.url}/profile?{urlencode({'website': trick})}")
            assert answer is not None
            refused[trick] = (answer.status, page.locator("#site").count())
            page.close()
        # a host urlsplit cannot parse is refused too, not a 500
        unparsable = httpx2.get(
            f"{fixed.url}/profile", params={"website": "https://["}, timeout=20
        )
        page = context.new_page()
        page.goto(
            f"{fixed.url}/profile?{urlencode({'website': fixed.url + '/openapi.json'})}"
        )
        page.click("#site")
        page.wait_for_url(f"{fixed.url}/openapi.json")
        page.close()

    assert clicked == dict.fromkeys(tricks, True)
    assert refused == dict.fromkeys(tricks, (422, 0))
    assert unparsable.status_code == 422
    assert unparsable.json()["detail"][0]["loc"] == ["query", "website"]


HANDLER = 'x" onmouseover=window.pwned=1 y="'
NO_QUOTE = "x onmouseover=window.pwned=1//"
ATTRIBUTE_FORMS = {
    "tojson in double quotes": '<button id="b" onclick="go({{ v|tojson }})">Go</button>',
    "tojson in single quotes": "<button id='b' onclick='go({{ v|tojson }})'>Go</button>",
    "a data- attribute": '<button id="b" data-v="{{ v }}">Go</button>',
}


@pytest.mark.slow
def test_tojson_in_a_double_quoted_attribute_lets_a_handler_in(
    context: BrowserContext,
) -> None:
    context.set_default_timeout(TIMEOUT)
    env = jinja2.Environment(autoescape=True)  # as for a .html template
    ran: dict[tuple[str, str], tuple[bool, str | None]] = {}
    for value in (HANDLER, NO_QUOTE):
        for form, template in ATTRIBUTE_FORMS.items():
            page = context.new_page()
            page.set_content(
                "<script>function go(v) { window.got = v; }</script>"
                + env.from_string(template).render(v=value)
            )
            page.hover("#b")
            page.click("#b")
            ran[form, value] = (
                page.evaluate(PWNED),
                page.evaluate(
                    "() => window.got ?? document.getElementById('b').dataset.v"
                ),
            )
            page.close()

    # pwned on hover; the value go() got on click, or the data- attribute's.
    # The second value has no quote: tojson's own opening quote ends the
    # double-quoted attribute.
    assert ran == {
        ("tojson in double quotes", HANDLER): (True, None),
        ("tojson in single quotes", HANDLER): (False, HANDLER),
        ("a data- attribute", HANDLER): (False, HANDLER),
        ("tojson in double quotes", NO_QUOTE): (True, None),
        ("tojson in single quotes", NO_QUOTE): (False, NO_QUOTE),
        ("a data- attribute", NO_QUOTE): (False, NO_QUOTE),
    }
