"""Behaviour of the examples on docs/templates.md: what the page claims, asserted."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from importlib.metadata import requires
from pathlib import Path

import jinja2
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from fastapi.testclient import TestClient
from starlette.routing import NoMatchFound
from starlette.templating import Jinja2Templates as StarletteTemplates

from examples.templates import (
    escaping_off,
    greeting_page,
    profile_link,
    profile_link_fixed,
    script_data,
    script_data_fixed,
    strict_env,
)

ATTACK = "<script>alert(1)</script>"
FOLDER = Path(greeting_page.__file__).parent / "templates"


def test_fastapi_reexports_starlettes_class() -> None:
    assert Jinja2Templates is StarletteTemplates


def test_jinja2_comes_only_with_an_extra_of_fastapi() -> None:
    needs = [r for r in requires("fastapi") or [] if r.lower().startswith("jinja2")]

    assert needs
    assert all("extra ==" in r for r in needs)
    assert any('extra == "standard"' in r for r in needs)


def test_a_context_dict_shared_between_requests_keeps_the_first_request() -> None:
    shared = {"name": "Ada"}  # the mistake: one dict for every request
    app = FastAPI()

    @app.get("/hello", response_class=HTMLResponse)
    def hello(request: Request):
        return greeting_page.templates.TemplateResponse(request, "hello.html", shared)

    @app.get("/books/{book_id}", name="book")
    def book(book_id: int) -> int:
        return book_id

    client = TestClient(app)
    first = client.get("/hello", headers={"host": "first.example"})
    second = client.get("/hello", headers={"host": "second.example"})

    assert set(shared) == {"name", "request"}  # TemplateResponse wrote into it
    assert 'href="http://first.example/books/1"' in first.text
    assert 'href="http://first.example/books/1"' in second.text


def test_the_request_is_added_to_the_context() -> None:
    response = TestClient(greeting_page.app).get("/hello", params={"name": "Ada"})

    # TestClient exposes what the template got (Starlette's debug extension)
    assert response.template.name == "hello.html"
    assert set(response.context) == {"request", "name"}
    assert response.context["request"].url.path == "/hello"


def test_an_html_template_escapes_the_name() -> None:
    response = TestClient(greeting_page.app).get("/hello", params={"name": ATTACK})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert "<p>Hello, &lt;script&gt;alert(1)&lt;/script&gt;!</p>" in response.text
    assert "<script>" not in response.text


def test_quotes_and_ampersands_become_entities() -> None:
    response = TestClient(greeting_page.app).get("/hello", params={"name": "'\"&"})

    assert "<p>Hello, &#39;&#34;&amp;!</p>" in response.text


def test_a_quoted_attribute_cannot_be_closed(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<a title="{{ v }}">x</a>')
    templates = Jinja2Templates(directory=tmp_path)
    app = FastAPI()

    @app.get("/")
    def page(request: Request):
        v = '" onmouseover="alert(1)'
        return templates.TemplateResponse(request, "a.html", {"v": v})

    response = TestClient(app).get("/")
    assert response.text == '<a title="&#34; onmouseover=&#34;alert(1)">x</a>'


def test_url_for_in_a_template_is_absolute_and_takes_the_host_header() -> None:
    client = TestClient(greeting_page.app)

    assert 'href="http://testserver/books/1"' in client.get("/hello").text
    forged = client.get("/hello", headers={"host": "evil.example"})
    assert 'href="http://evil.example/books/1"' in forged.text


def test_a_template_response_takes_a_status_code() -> None:
    client = TestClient(greeting_page.app)

    found = client.get("/books/2")
    assert found.status_code == 200
    assert "<h1>Emma</h1>" in found.text
    missing = client.get("/books/9")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "text/html; charset=utf-8"
    assert "<p>There is no book 9.</p>" in missing.text


def test_response_class_documents_html() -> None:
    paths = greeting_page.app.openapi()["paths"]
    for path in ("/hello", "/books/{book_id}"):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert content == {"text/html": {"schema": {"type": "string"}}}


@pytest.mark.parametrize(
    ("suffix", "escaped"),
    [
        ("html", True),
        ("htm", True),
        ("xml", True),
        ("HTML", True),
        ("txt", False),
        ("jinja", False),
        ("j2", False),
        ("svg", False),
    ],
)
def test_which_template_names_are_autoescaped(
    tmp_path: Path, suffix: str, escaped: bool
) -> None:
    (tmp_path / f"page.{suffix}").write_text("{{ name }}")
    templates = Jinja2Templates(directory=tmp_path)
    app = FastAPI()

    @app.get("/")
    def page(request: Request):
        return templates.TemplateResponse(request, f"page.{suffix}", {"name": ATTACK})

    response = TestClient(app).get("/")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    expected = "&lt;script&gt;alert(1)&lt;/script&gt;" if escaped else ATTACK
    assert response.text == expected


@pytest.mark.parametrize("path", ["/plain", "/safe-filter", "/markup"])
def test_each_way_of_turning_escaping_off_sends_the_script(path: str) -> None:
    response = TestClient(escaping_off.app).get(path, params={"name": ATTACK})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text.startswith(f"<p>Hello, {ATTACK}!</p>")


def test_the_old_signature_fails_on_the_pins() -> None:
    app = FastAPI()

    @app.get("/old")
    def old(request: Request):
        return greeting_page.templates.TemplateResponse(
            "hello.html", {"request": request, "name": "Ada"}
        )

    with pytest.raises(TypeError, match="unhashable type: 'dict'"):
        TestClient(app).get("/old")
    response = TestClient(app, raise_server_exceptions=False).get("/old")
    assert response.status_code == 500
    assert response.text == "Internal Server Error"


def test_url_for_with_an_unknown_name_is_a_500(tmp_path: Path) -> None:
    (tmp_path / "link.html").write_text("{{ url_for('nowhere') }}")
    templates = Jinja2Templates(directory=tmp_path)
    app = FastAPI()

    @app.get("/")
    def page(request: Request):
        return templates.TemplateResponse(request, "link.html")

    with pytest.raises(NoMatchFound):
        TestClient(app).get("/")
    response = TestClient(app, raise_server_exceptions=False).get("/")
    assert response.status_code == 500


def test_a_missing_template_is_a_500() -> None:
    app = FastAPI()

    @app.get("/gone")
    def gone(request: Request):
        return greeting_page.templates.TemplateResponse(request, "gone.html")

    with pytest.raises(jinja2.TemplateNotFound):
        TestClient(app).get("/gone")
    response = TestClient(app, raise_server_exceptions=False).get("/gone")
    assert response.status_code == 500


def test_an_undefined_name_renders_as_nothing_by_default() -> None:
    app = FastAPI()

    @app.get("/")
    def page(request: Request):
        return greeting_page.templates.TemplateResponse(request, "book.html")

    response = TestClient(app).get("/")
    assert response.status_code == 200
    assert "<h1></h1>" in response.text
    assert "<title></title>" in response.text


def test_strict_undefined_turns_it_into_a_500() -> None:
    app = FastAPI()

    @app.get("/")
    def page(request: Request):
        return strict_env.templates.TemplateResponse(request, "book.html")

    with pytest.raises(jinja2.UndefinedError, match="'title' is undefined"):
        TestClient(app).get("/")
    response = TestClient(app, raise_server_exceptions=False).get("/")
    assert response.status_code == 500


def test_the_hand_built_environment_escapes() -> None:
    response = TestClient(strict_env.app).get("/hello", params={"name": ATTACK})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == "<p>Hello, &lt;script&gt;alert(1)&lt;/script&gt;!</p>"


def test_a_hand_built_environment_does_not_escape_unless_told() -> None:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(FOLDER), undefined=jinja2.StrictUndefined
    )
    templates = Jinja2Templates(env=env)
    app = FastAPI()

    @app.get("/")
    def page(request: Request):
        return templates.TemplateResponse(request, "hello_short.html", {"name": ATTACK})

    response = TestClient(app).get("/")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == f"<p>Hello, {ATTACK}!</p>"


class Attributes(HTMLParser):
    """The attributes of each start tag, as a browser's parser splits them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def attributes(template: str, value: str) -> dict[str, str | None]:
    """Render template (autoescaped, as a .html file is) and parse its one tag."""
    html = jinja2.Environment(autoescape=True).from_string(template).render(v=value)
    parser = Attributes()
    parser.feed(html)
    parser.close()
    [(_, attrs)] = parser.tags
    return attrs


HANDLER = 'x" onmouseover=alert(1) y="'


def test_an_unquoted_attribute_can_be_broken_out_of() -> None:
    attrs = attributes("<a href={{ v }}>", "x onmouseover=alert(1)")

    assert attrs == {"href": "x", "onmouseover": "alert(1)"}


@pytest.mark.parametrize("value", [HANDLER, "x onmouseover=alert(1)//"])
def test_tojson_in_a_double_quoted_attribute_can_be_broken_out_of(value: str) -> None:
    attrs = attributes('<button onclick="go({{ v|tojson }})">', value)

    assert attrs["onclick"] == "go("  # tojson's own opening quote closes it
    assert attrs["onmouseover"] is not None
    assert attrs["onmouseover"].startswith("alert(1)")


def test_tojson_in_a_double_quoted_attribute_breaks_any_handler() -> None:
    attrs = attributes('<button onclick="go({{ v|tojson }})">', "Ada")

    assert attrs == {"onclick": "go(", 'ada")"': None}


@pytest.mark.parametrize("value", [HANDLER, "x' onmouseover='alert(1)"])
def test_single_quotes_around_tojson_keep_the_value_in_the_handler(value: str) -> None:
    attrs = attributes("<button onclick='go({{ v|tojson }})'>", value)

    assert list(attrs) == ["onclick"]
    handler = attrs["onclick"]
    assert handler is not None
    assert handler.startswith("go(") and handler.endswith(")")
    assert json.loads(handler[3:-1]) == value


@pytest.mark.parametrize("value", [HANDLER, "x' onmouseover='alert(1)"])
def test_a_data_attribute_keeps_the_value_in_its_quotes(value: str) -> None:
    attrs = attributes('<button data-v="{{ v }}">', value)

    assert attrs == {"data-v": value}


PAYLOAD = "0;window.pwned=1"


def test_autoescape_leaves_script_code_alone() -> None:
    response = TestClient(script_data.app).get("/visits", params={"visits": PAYLOAD})

    assert response.status_code == 200
    assert "const visits = 0;window.pwned=1;\n" in response.text


def test_tojson_makes_the_value_a_string() -> None:
    client = TestClient(script_data_fixed.app)

    response = client.get("/visits", params={"visits": PAYLOAD})
    assert 'const visits = "0;window.pwned=1";\n' in response.text
    closing = client.get("/visits", params={"visits": "</script><b>"})
    assert 'const visits = "\\u003c/script\\u003e\\u003cb\\u003e";' in closing.text
    assert closing.text.count("</script>") == 1
    quotes = client.get("/visits", params={"visits": "'&"})
    assert 'const visits = "\\u0027\\u0026";' in quotes.text


def test_the_values_are_bounded() -> None:
    for app, path in [
        (greeting_page.app, "/hello"),
        (escaping_off.app, "/plain"),
    ]:
        response = TestClient(app).get(path, params={"name": "x" * 101})
        assert response.status_code == 422
    for app in (profile_link.app, profile_link_fixed.app):
        response = TestClient(app).get("/profile", params={"website": "h" * 201})
        assert response.status_code == 422
    for app in (script_data.app, script_data_fixed.app):
        response = TestClient(app).get("/visits", params={"visits": "1" * 101})
        assert response.status_code == 422


JS_URLS = [
    "javascript:window.pwned=1",
    " JavaScript:window.pwned=1",
    "java\tscript:window.pwned=1",
    "java\nscript:window.pwned=1",
    "JAVASCRIPT:window.pwned=1",
    "\x01javascript:window.pwned=1",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html,<script>window.pwned=1</script>",
    "//evil.example/",
    "https:",
    "https://@",  # no host, only an empty userinfo or a port
    "https://user@",
    "https://:80",
    # urlsplit raises ValueError on these; the validator turns it into a 422
    "https://[",
    "http://[x]",
    "http://[::1",
    "https://a]b",
]


def test_autoescape_leaves_a_javascript_url_in_an_href() -> None:
    client = TestClient(profile_link.app)

    response = client.get("/profile", params={"website": JS_URLS[0]})
    assert response.status_code == 200
    assert '<a id="site" href="javascript:window.pwned=1">' in response.text


@pytest.mark.parametrize("website", JS_URLS)
def test_only_http_and_https_links_are_sent(website: str) -> None:
    response = TestClient(profile_link_fixed.app).get(
        "/profile", params={"website": website}
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "value_error",
                "loc": ["query", "website"],
                "msg": "Value error, must be an http or https URL",
                "input": website,
                "ctx": {"error": {}},
            }
        ]
    }


@pytest.mark.parametrize("code", range(0x20))
def test_a_leading_control_character_does_not_hide_the_scheme(code: int) -> None:
    response = TestClient(profile_link_fixed.app).get(
        "/profile", params={"website": f"{chr(code)}javascript:window.pwned=1"}
    )

    assert response.status_code == 422


def test_the_refusal_is_the_422_that_openapi_documents() -> None:
    spec = profile_link_fixed.app.openapi()
    answers = spec["paths"]["/profile"]["get"]["responses"]
    schema = answers["422"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/HTTPValidationError"}
    error = spec["components"]["schemas"]["ValidationError"]
    body = (
        TestClient(profile_link_fixed.app)
        .get("/profile", params={"website": "https://["})
        .json()
    )
    assert isinstance(body["detail"], list)
    [item] = body["detail"]
    assert set(error["required"]) <= set(item) <= set(error["properties"])


def test_an_https_link_is_sent() -> None:
    response = TestClient(profile_link_fixed.app).get(
        "/profile", params={"website": "https://example.com/a?b=1&c=2"}
    )

    assert response.status_code == 200
    assert '<a id="site" href="https://example.com/a?b=1&amp;c=2">' in response.text
    response = TestClient(profile_link_fixed.app).get("/profile")
    assert '<a id="site" href="https://example.com">' in response.text


def test_without_response_class_a_template_route_is_documented_as_json() -> None:
    app = FastAPI()
    kinds: list[bool] = []

    @app.get("/page")
    def page(request: Request):
        response = greeting_page.templates.TemplateResponse(
            request, "hello_short.html", {"name": "Ada"}
        )
        kinds.append(isinstance(response, HTMLResponse))
        return response

    response = TestClient(app).get("/page")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert kinds == [True]
    content = app.openapi()["paths"]["/page"]["get"]["responses"]["200"]["content"]
    assert content == {"application/json": {"schema": {}}}


def test_a_text_template_can_be_sent_as_plain_text() -> None:
    app = FastAPI()

    @app.get("/note")
    def note(request: Request):
        return greeting_page.templates.TemplateResponse(
            request, "hello.txt", {"name": ATTACK}, media_type="text/plain"
        )

    response = TestClient(app).get("/note")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == f"<p>Hello, {ATTACK}!</p>"
