"""HTMLResponse and PlainTextResponse with response_class (docs/html_and_text.md)."""

from __future__ import annotations

import html

import pytest
from fastapi import FastAPI
from fastapi.exceptions import ResponseValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.testclient import TestClient

from examples.html_and_text import not_a_string, page_and_robots, returned_directly
from tests.support import documented_200

# --- page_and_robots.py ----------------------------------------------------


def test_html_route_sends_the_string_as_html() -> None:
    response = TestClient(page_and_robots.app).get("/welcome")

    assert response.status_code == 200
    assert response.text == "<h1>Welcome</h1><p>Nothing to see yet.</p>"
    assert set(response.headers) == {"content-length", "content-type"}
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_text_route_sends_the_string_unchanged_as_plain_text() -> None:
    response = TestClient(page_and_robots.app).get("/robots.txt")

    assert response.status_code == 200
    assert response.content == b"User-agent: *\nDisallow: /admin\n"
    assert set(response.headers) == {"content-length", "content-type"}
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


def test_string_is_not_json_encoded() -> None:
    response = TestClient(page_and_robots.app).get("/welcome")

    assert not response.text.startswith('"')


def test_openapi_documents_html_and_text_as_strings() -> None:
    app = page_and_robots.app

    assert documented_200(app, "/welcome") == {
        "text/html": {"schema": {"type": "string"}}
    }
    assert documented_200(app, "/robots.txt") == {
        "text/plain": {"schema": {"type": "string"}}
    }


def test_charset_is_added_to_text_types_only_when_missing() -> None:
    assert HTMLResponse("x").headers["content-type"] == "text/html; charset=utf-8"
    assert (
        PlainTextResponse("x", media_type="text/csv").headers["content-type"]
        == "text/csv; charset=utf-8"
    )
    assert HTMLResponse(
        "x", headers={"Content-Type": "text/html; charset=latin-1"}
    ).headers.getlist("content-type") == ["text/html; charset=latin-1"]


def test_body_is_encoded_as_utf_8() -> None:
    assert HTMLResponse("<p>café</p>").body == "<p>café</p>".encode()


# --- returned_directly.py --------------------------------------------------


def test_returned_html_response_is_sent_as_html_either_way() -> None:
    client = TestClient(returned_directly.app)

    undeclared = client.get("/undeclared")
    declared = client.get("/declared")

    assert undeclared.status_code == 200
    assert undeclared.headers["content-type"] == "text/html; charset=utf-8"
    assert undeclared.text == "<h1>Hello</h1>"
    assert declared.status_code == 410
    assert declared.headers["content-type"] == "text/html; charset=utf-8"


def test_without_response_class_openapi_says_json() -> None:
    assert documented_200(returned_directly.app, "/undeclared") == {
        "application/json": {"schema": {}}
    }


def test_with_response_class_openapi_says_html() -> None:
    assert documented_200(returned_directly.app, "/declared") == {
        "text/html": {"schema": {"type": "string"}}
    }


def test_swagger_ui_reads_the_openapi_document() -> None:
    response = TestClient(returned_directly.app).get("/docs")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "url: '/openapi.json'" in response.text


def test_a_response_return_annotation_does_not_fix_openapi() -> None:
    app = FastAPI()

    @app.get("/page")
    def page() -> HTMLResponse:
        return HTMLResponse("<h1>Hello</h1>")

    assert documented_200(app, "/page") == {"application/json": {"schema": {}}}
    route = next(r for r in app.routes if getattr(r, "path", None) == "/page")
    assert route.response_model is None


# --- not_a_string.py -------------------------------------------------------


def test_dict_from_html_route_is_a_500() -> None:
    client = TestClient(not_a_string.app, raise_server_exceptions=False)

    response = client.get("/profile-broken")

    assert response.status_code == 500
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Internal Server Error"


def test_dict_from_html_route_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="'dict' object has no attribute"):
        TestClient(not_a_string.app).get("/profile-broken")


@pytest.mark.parametrize("value", [5, ["a"]])
def test_other_non_strings_fail_the_same_way(value: object) -> None:
    app = FastAPI()

    @app.get("/", response_class=PlainTextResponse)
    def root():
        return value

    with pytest.raises(AttributeError, match="has no attribute 'encode'"):
        TestClient(app).get("/")


def test_none_from_text_route_is_an_empty_body() -> None:
    app = FastAPI()

    @app.get("/", response_class=PlainTextResponse)
    def root():
        return None

    response = TestClient(app).get("/")

    assert response.status_code == 200
    assert response.content == b""


def test_string_building_route_works() -> None:
    response = TestClient(not_a_string.app).get("/profile")

    assert response.status_code == 200
    assert response.text == "<p>Ada (admin)</p>"
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_str_return_type_turns_a_dict_into_a_validation_error() -> None:
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def root() -> str:
        return {"name": "Ada"}  # type: ignore[return-value]

    with pytest.raises(ResponseValidationError, match="valid string"):
        TestClient(app).get("/")
    response = TestClient(app, raise_server_exceptions=False).get("/")
    assert response.status_code == 500


def test_a_str_from_an_ordinary_route_is_a_json_string() -> None:
    app = FastAPI()

    @app.get("/")
    def root():
        return "<h1>Hello</h1>"

    response = TestClient(app).get("/")

    assert response.headers["content-type"] == "application/json"
    assert response.content == b'"<h1>Hello</h1>"'


def test_html_response_does_not_escape_anything() -> None:
    assert HTMLResponse("<script>x</script>").body == b"<script>x</script>"


def test_html_escape_keeps_user_text_out_of_the_markup() -> None:
    """The escaping warning on this page (and docs/security.md): user text
    sent unescaped runs as markup; through html.escape it is text, in an
    element and in a quoted attribute."""
    app = FastAPI()

    @app.get("/raw", response_class=HTMLResponse)
    def raw(name: str) -> str:
        return f"<p>{name}</p>"

    @app.get("/escaped", response_class=HTMLResponse)
    def escaped(name: str) -> str:
        return f'<p title="{html.escape(name)}">{html.escape(name)}</p>'

    client = TestClient(app)
    attack = '<script>alert(1)</script>" onmouseover="alert(2)'

    assert (
        "<script>alert(1)</script>" in client.get("/raw", params={"name": attack}).text
    )
    body = client.get("/escaped", params={"name": attack}).text
    text = "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;alert(2)"
    assert body == f'<p title="{text}">{text}</p>'
