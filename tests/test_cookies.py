"""Behaviour of the examples on docs/cookies.md: what the page claims, asserted."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.cookies import CookieError
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from starlette.responses import Response

from examples.cookies import (
    attribute_fixed,
    attribute_injection,
    attributes,
    lost_cookie,
    readable_session,
    session_cookie,
    session_httponly,
    where_to_set,
)


def test_set_cookie_takes_these_attributes_and_delete_cookie_the_same_minus_value() -> (
    None
):
    set_params = inspect.signature(Response.set_cookie).parameters
    delete_params = inspect.signature(Response.delete_cookie).parameters

    assert list(set_params) == [
        "self",
        "key",
        "value",
        "max_age",
        "expires",
        "path",
        "domain",
        "secure",
        "httponly",
        "samesite",
        "partitioned",
    ]
    assert set(delete_params) == set(set_params) - {"value", "max_age", "expires"}
    defaults = {name: p.default for name, p in set_params.items() if name != "self"}
    assert defaults == {
        "key": inspect.Parameter.empty,
        "value": "",
        "max_age": None,
        "expires": None,
        "path": "/",
        "domain": None,
        "secure": False,
        "httponly": False,
        "samesite": "lax",
        "partitioned": False,
    }


def test_login_sends_one_set_cookie_header_per_cookie() -> None:
    response = TestClient(session_cookie.app).post("/login")

    assert response.status_code == 200
    assert response.json() == {"status": "logged in"}
    assert response.headers.get_list("set-cookie") == [
        "session=s3cr3t-token; HttpOnly; Max-Age=3600; Path=/; SameSite=lax; Secure",
        "theme=dark; Max-Age=86400; Path=/; SameSite=lax",
    ]
    raw = [name for name, _ in response.headers.raw if name.lower() == b"set-cookie"]
    assert len(raw) == 2


def test_a_secure_cookie_comes_back_over_https_only() -> None:
    over_http = TestClient(session_cookie.app)
    over_https = TestClient(session_cookie.app, base_url="https://testserver")
    over_http.post("/login")
    over_https.post("/login")

    assert over_http.get("/whoami").json() == {"user": None, "theme": "dark"}
    assert over_https.get("/whoami").json() == {"user": "ada", "theme": "dark"}


def test_cookies_come_back_and_logout_deletes_only_the_session() -> None:
    client = TestClient(session_cookie.app, base_url="https://testserver")
    assert client.get("/whoami").json() == {"user": None, "theme": None}
    client.post("/login")
    assert client.get("/whoami").json() == {"user": "ada", "theme": "dark"}

    response = client.post("/logout")

    attributes_sent = response.headers["set-cookie"].split("; ")
    expires = [a for a in attributes_sent if a.startswith("expires=")]
    assert [a for a in attributes_sent if a not in expires] == [
        'session=""',
        "HttpOnly",
        "Max-Age=0",
        "Path=/",
        "SameSite=lax",
        "Secure",
    ]
    assert len(expires) == 1
    assert expires[0].endswith(" GMT")
    sent_at = parsedate_to_datetime(expires[0].removeprefix("expires="))
    assert abs((sent_at - datetime.now(UTC)).total_seconds()) < 60  # "now"
    assert client.get("/whoami").json() == {"user": None, "theme": "dark"}


def test_no_body_repeats_the_httponly_token() -> None:
    client = TestClient(session_cookie.app, base_url="https://testserver")
    bodies = [client.post("/login").text, client.get("/whoami").text]

    assert client.cookies["session"] == "s3cr3t-token"
    assert not any("s3cr3t-token" in body for body in bodies)


def test_a_cookie_too_long_is_refused() -> None:
    client = TestClient(session_cookie.app, cookies={"session": "x" * 65})

    refused = client.get("/whoami")

    assert refused.status_code == 422
    # the 422 repeats the value it refused
    assert refused.json()["detail"][0]["input"] == "x" * 65


def test_each_attribute_as_starlette_writes_it() -> None:
    response = TestClient(attributes.app).post("/set")

    assert response.headers.get_list("set-cookie") == [
        "plain=1; Path=/; SameSite=lax",
        "script_proof=2; HttpOnly; Path=/; SameSite=lax",
        "https_only=3; Path=/; SameSite=lax; Secure",
        "strict=4; Path=/; SameSite=strict",
        "cross_site=5; Path=/; SameSite=none; Secure",
        "none_no_secure=10; Path=/; SameSite=none",
        "admin_only=6; Path=/admin; SameSite=lax",
        "short=7; Max-Age=60; Path=/; SameSite=lax",
        "until_2100=8; expires=Fri, 01 Jan 2100 00:00:00 GMT; Path=/; SameSite=lax",
        "other_host=9; Domain=example.com; Path=/; SameSite=lax",
    ]


def test_echo_lists_the_cookie_names_it_got() -> None:
    client = TestClient(attributes.app, cookies={"b": "1", "a": "2"})

    assert client.get("/echo").json() == ["a", "b"]
    assert client.get("/admin/echo").json() == ["a", "b"]


def test_partitioned_raises_before_python_3_14() -> None:
    response = Response()
    if sys.version_info < (3, 14):
        with pytest.raises(ValueError, match=r"only supported in Python 3\.14"):
            response.set_cookie("embedded", "10", secure=True, partitioned=True)
        assert response.headers.getlist("set-cookie") == []
    else:  # pragma: no cover - the pinned Pythons are older
        response.set_cookie("embedded", "10", secure=True, partitioned=True)
        assert "Partitioned" in response.headers["set-cookie"]


def test_a_cookie_set_on_the_injected_response_is_lost_if_you_return_one() -> None:
    response = TestClient(lost_cookie.app).post("/login")

    assert response.status_code == 200
    assert response.json() == {"status": "logged in"}
    assert response.headers.get_list("set-cookie") == []


@pytest.mark.parametrize("path", ["/login-injected", "/login-returned"])
def test_both_fixes_keep_the_cookie(path: str) -> None:
    response = TestClient(where_to_set.app).post(path)

    assert response.status_code == 200
    assert response.json() == {"status": "logged in"}
    assert response.headers.get_list("set-cookie") == [
        "session=s3cr3t-token; HttpOnly; Path=/; SameSite=lax; Secure"
    ]


def test_the_mistake_session_cookie_has_no_httponly() -> None:
    client = TestClient(readable_session.app)
    response = client.post("/login")

    assert response.headers["set-cookie"] == (
        "session=s3cr3t-token; Max-Age=3600; Path=/; SameSite=lax; Secure"
    )
    page = client.get("/")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "document.cookie" in page.text


def test_the_fixed_session_cookie_is_httponly_and_the_theme_is_not() -> None:
    client = TestClient(session_httponly.app)
    response = client.post("/login")

    assert response.headers.get_list("set-cookie") == [
        "session=s3cr3t-token; HttpOnly; Max-Age=3600; Path=/; SameSite=lax; Secure",
        "theme=dark; Max-Age=86400; Path=/; SameSite=lax",
    ]
    assert "document.cookie" in client.get("/").text


@pytest.mark.parametrize("module", [attribute_injection, attribute_fixed])
def test_a_value_with_a_semicolon_or_cr_lf_is_quoted_or_refused(module) -> None:
    client = TestClient(module.app)
    semicolon = client.post("/view", params={"view": "a; Max-Age=9999"})
    crlf = client.post("/view", params={"view": "a\r\nSet-Cookie: x=1"})

    if module is attribute_injection:
        # Starlette quotes the value and escapes `;`, CR and LF as octal
        assert semicolon.headers.get_list("set-cookie") == [
            'view="a\\073 Max-Age=9999"; HttpOnly; Path=/; SameSite=lax'
        ]
        assert crlf.headers.get_list("set-cookie") == [
            'view="a\\015\\012Set-Cookie: x=1"; HttpOnly; Path=/; SameSite=lax'
        ]
    else:
        assert semicolon.status_code == crlf.status_code == 422
        assert "set-cookie" not in semicolon.headers


INJECTED_PATH = "/; Max-Age=99999999; Domain=example.com"


def test_a_semicolon_in_an_attribute_adds_attributes_in_the_mistake() -> None:
    response = TestClient(attribute_injection.app).post(
        "/view", params={"view": "table", "section": INJECTED_PATH}
    )

    assert response.status_code == 200
    assert response.headers.get_list("set-cookie") == [
        (
            "view=table; HttpOnly; Path=/; Max-Age=99999999; Domain=example.com;"
            " SameSite=lax"
        )
    ]


def test_a_cr_lf_in_an_attribute_reaches_the_header_in_the_mistake() -> None:
    response = TestClient(attribute_injection.app).post(
        "/view", params={"view": "a", "section": "/\r\nSet-Cookie: admin=1"}
    )

    # TestClient does not check header values; a real uvicorn refuses to send
    # this one (tests/e2e/test_cookies_browser.py)
    assert response.headers["set-cookie"] == (
        "view=a; HttpOnly; Path=/\r\nSet-Cookie: admin=1; SameSite=lax"
    )


def test_the_fix_refuses_an_attribute_outside_its_list() -> None:
    client = TestClient(attribute_fixed.app)
    refused = client.post("/view", params={"view": "table", "section": INJECTED_PATH})
    kept = client.post("/view", params={"view": "table", "section": "/reports"})

    assert refused.status_code == 422
    assert "set-cookie" not in refused.headers
    assert refused.json()["detail"][0]["type"] == "literal_error"
    for section in ["/\r\nSet-Cookie: admin=1", "/\x00", "/\nX: 1", "/\u20ac"]:
        also_refused = client.post("/view", params={"view": "a", "section": section})
        assert also_refused.status_code == 422, section
        assert "set-cookie" not in also_refused.headers
    assert kept.status_code == 200
    assert kept.headers.get_list("set-cookie") == [
        "view=table; HttpOnly; Path=/reports; SameSite=lax"
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("a b", '"a b"'),  # quoted, the space kept as it is
        ("a(b)", '"a(b)"'),
        ("a;b", '"a\\073b"'),
        ("a,b", '"a\\054b"'),
        ('a"b', '"a\\"b"'),
        ("a\\b", '"a\\\\b"'),
        ("a\x00b", '"a\\000b"'),
        ("a\tb", '"a\\011b"'),
        ("a\r\nb", '"a\\015\\012b"'),  # CR and LF, which end a header line
        ("a\x7fb", '"a\\177b"'),  # DEL, where the octal escapes start
        ("\x80", '"\\200"'),  # the first C1 control
        ("\u00e9", '"\\351"'),  # é, a Latin-1 letter
        ("\u00ff", '"\\377"'),
    ],
)
def test_how_a_value_is_quoted_and_escaped(value: str, written: str) -> None:
    response = Response()
    response.set_cookie("view", value)

    assert response.headers["set-cookie"] == f"view={written}; Path=/; SameSite=lax"


@pytest.mark.parametrize("value", ["\u20ac", "\U0001f600", "\u0100"])  # €, an emoji, Ā
def test_a_value_beyond_latin_1_makes_set_cookie_raise(value: str) -> None:
    with pytest.raises(UnicodeEncodeError):
        Response().set_cookie("view", value)


@pytest.mark.parametrize("field", ["view", "section"])
def test_the_mistake_answers_500_to_a_euro_sign_and_the_fix_422(field: str) -> None:
    params = {"view": "a", field: "/\u20ac" if field == "section" else "\u20ac"}
    mistake = TestClient(attribute_injection.app, raise_server_exceptions=False)
    fix = TestClient(attribute_fixed.app)

    assert mistake.post("/view", params=params).status_code == 500
    refused = fix.post("/view", params=params)
    assert refused.status_code == 422
    assert "set-cookie" not in refused.headers


ODD_QUERY_VALUES = ["\u20ac", "\U0001f600", "\x00", "\r\n", "a\n", "\xff", "x" * 5000]


@pytest.mark.parametrize("odd", ODD_QUERY_VALUES)
def test_the_fix_answers_422_to_odd_query_values(odd: str) -> None:
    client = TestClient(attribute_fixed.app, raise_server_exceptions=False)
    for params in [{"view": odd}, {"view": "a", "section": odd}]:
        response = client.post("/view", params=params)
        assert response.status_code == 422, params
        assert "set-cookie" not in response.headers
        assert len(response.content) < 20_000


@pytest.mark.parametrize("name", ["a b", "a;b", "a=b", "\u00e9"])
def test_a_cookie_name_with_a_special_character_raises(name: str) -> None:
    with pytest.raises(CookieError, match="Illegal key"):
        Response().set_cookie(name, "1")


def test_samesite_outside_its_three_values_raises() -> None:
    with pytest.raises(AssertionError, match="samesite must be"):
        Response().set_cookie("a", "1", samesite="x")  # type: ignore[arg-type]
    # the check ignores case, and the case you give is what is sent
    response = Response()
    response.set_cookie("a", "1", samesite="STRICT")  # type: ignore[arg-type]
    assert response.headers["set-cookie"] == "a=1; Path=/; SameSite=STRICT"


def signed_out(response: Response) -> None:
    response.delete_cookie("session", secure=True, httponly=True)
    raise HTTPException(status_code=401, detail="Not logged in")


def deletes_then_yields(response: Response) -> Iterator[None]:
    response.delete_cookie("session", secure=True, httponly=True)
    yield


def raises_after_setting_a_cookie() -> FastAPI:
    app = FastAPI()

    @app.post("/logout-raise")
    def logout_raise(response: Response) -> None:
        response.delete_cookie("session", secure=True, httponly=True)
        raise HTTPException(status_code=401, detail="Not logged in")

    @app.post("/logout-dependency")
    def logout_dependency(_: Annotated[None, Depends(signed_out)]) -> None:
        return None

    @app.post("/logout-dependency-then-raise")
    def logout_dependency_then_raise(
        _: Annotated[None, Depends(deletes_then_yields)],
    ) -> None:
        raise HTTPException(status_code=401, detail="Not logged in")

    @app.post("/logout-return")
    def logout_return() -> JSONResponse:
        answer = JSONResponse({"detail": "Not logged in"}, status_code=401)
        answer.delete_cookie("session", secure=True, httponly=True)
        return answer

    return app


def test_a_cookie_set_before_an_httpexception_is_lost() -> None:
    client = TestClient(raises_after_setting_a_cookie())
    raised = client.post("/logout-raise")
    returned = client.post("/logout-return")

    assert raised.status_code == returned.status_code == 401
    assert raised.json() == returned.json() == {"detail": "Not logged in"}
    assert raised.headers.get_list("set-cookie") == []
    # set by a dependency, then raised by it or by the route: dropped too
    for path in ("/logout-dependency", "/logout-dependency-then-raise"):
        from_dependency = client.post(path)
        assert from_dependency.status_code == 401
        assert from_dependency.headers.get_list("set-cookie") == []
    assert len(returned.headers.get_list("set-cookie")) == 1
    deleted = returned.headers["set-cookie"]
    assert deleted.startswith('session=""; expires=')
    assert "; Max-Age=0; " in deleted
