"""Redirects (docs/redirects.md): statuses, the Location header, 303 after a
POST, and the open redirect through `next=` with its fix."""

from __future__ import annotations

import importlib
import importlib.metadata
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.testclient import TestClient
from starlette.middleware.trustedhost import TrustedHostMiddleware

from examples.redirects import (
    moved,
    open_redirect,
    post_then_307,
    safe_next,
    see_other,
    trusted_host,
)
from tests.redirects_support import (
    CHECKED_GOES,
    ENCODED_TRICKS,
    LEAVE,
    LEAVE_PAST_SLASH_CHECK,
    TRICKS,
)

PAGE = Path(__file__).resolve().parent.parent / "docs" / "redirects.md"
# "Serve it with `uvicorn examples.redirects.NAME:app` and open <URL>"
SERVE_AND_OPEN = re.compile(
    r"Serve it with `uvicorn (examples\.redirects\.\w+):app`[^<]*?"
    r"<(http://127\.0\.0\.1:8000/[^>]*)>"
)


def no_follow(app: object) -> TestClient:
    return TestClient(app, follow_redirects=False)


# --- moved.py --------------------------------------------------------------


def test_redirect_response_defaults_to_307() -> None:
    response = no_follow(moved.app).get("/guide")

    assert response.status_code == 307
    assert response.headers["location"] == "/guide/v2"


def test_the_redirect_has_an_empty_body_and_no_content_type() -> None:
    response = no_follow(moved.app).get("/guide")

    assert response.content == b""
    assert set(response.headers) == {"content-length", "location"}
    assert response.headers["content-length"] == "0"


@pytest.mark.parametrize(("path", "status"), [("/manual", 301), ("/handbook", 308)])
def test_permanent_moves_send_the_status_given(path: str, status: int) -> None:
    response = no_follow(moved.app).get(path)

    assert response.status_code == status
    assert response.headers["location"] == "/guide"
    assert set(response.headers) == {"content-length", "location"}  # no cache-control


def test_a_returned_string_becomes_the_location_with_response_class() -> None:
    response = no_follow(moved.app).get("/news")

    assert response.status_code == 302
    assert response.headers["location"] == "/guide/v2#news"
    assert response.content == b""


def test_response_class_redirect_without_status_code_answers_307() -> None:
    app = FastAPI()

    @app.get("/here", response_class=RedirectResponse)
    def here() -> str:
        return "/there"

    response = no_follow(app).get("/here")

    assert response.status_code == 307
    assert response.headers["location"] == "/there"


def test_openapi_documents_the_redirect_status_of_each_route() -> None:
    paths = moved.app.openapi()["paths"]

    assert list(paths["/news"]["get"]["responses"]) == ["302"]
    # a returned RedirectResponse is not seen: the route documents a 200
    assert list(paths["/guide"]["get"]["responses"]) == ["200"]
    assert list(paths["/guide"]["get"]["responses"]["200"]["content"]) == [
        "application/json"
    ]
    assert "content" not in paths["/news"]["get"]["responses"]["302"]


def test_a_relative_location_is_sent_as_given() -> None:
    assert RedirectResponse("guide/v2").headers["location"] == "guide/v2"
    assert RedirectResponse("/guide/v2").headers["location"] == "/guide/v2"


def test_url_for_gives_an_absolute_location_built_from_the_host_header() -> None:
    client = no_follow(moved.app)

    assert client.get("/latest").headers["location"] == "http://testserver/guide/v2"
    forged = client.get("/latest", headers={"host": "evil.example"})
    assert forged.headers["location"] == "http://evil.example/guide/v2"


FORGED_HOSTS = ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"]


@pytest.mark.parametrize("host", FORGED_HOSTS)
def test_trusted_host_middleware_refuses_a_forged_host(host: str) -> None:
    client = TestClient(
        trusted_host.app, base_url="http://127.0.0.1:8000", follow_redirects=False
    )
    # the same request without the middleware names the forged host
    assert (
        no_follow(moved.app).get("/latest", headers={"host": host}).headers["location"]
        == f"http://{host}/guide/v2"
    )

    response = client.get("/latest", headers={"host": host})

    assert response.status_code == 400
    assert response.text == "Invalid host header"
    assert "location" not in response.headers


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "localhost"])
def test_trusted_host_middleware_lets_the_listed_names_through(host: str) -> None:
    client = TestClient(trusted_host.app, follow_redirects=False)

    response = client.get("/latest", headers={"host": host})

    assert response.status_code == 307
    assert response.headers["location"] == f"http://{host}/guide/v2"


def test_trusted_host_middleware_redirects_the_bare_name_of_a_listed_www_name() -> None:
    app = FastAPI()
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=["www.example.com"])
    client = TestClient(app, follow_redirects=False)

    bare = client.get("/x?a=1", headers={"host": "example.com"})
    other = client.get("/x?a=1", headers={"host": "evil.example"})

    # the default www_redirect=True: not a 400 but a redirect to the listed name
    assert bare.status_code == 307
    assert bare.headers["location"] == "http://www.example.com/x?a=1"
    assert other.status_code == 400
    assert other.text == "Invalid host header"


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/a b", "/a%20b"),
        ("/\\evil.example", "/%5Cevil.example"),
        ("/x\r\nSet-Cookie: a=1", "/x%0D%0ASet-Cookie:%20a=1"),
        ("/café", "/caf%C3%A9"),
        ("/\t/evil.example", "/%09/evil.example"),
        (" //evil.example", "%20//evil.example"),
        ("/@[]!$'()*+,;", "/@[]!$'()*+,;"),
        ('/<"{|}>^`', "/%3C%22%7B%7C%7D%3E%5E%60"),
        ("/search?q=a&page=2#top", "/search?q=a&page=2#top"),
        ("%2F%2Fevil.example", "%2F%2Fevil.example"),
    ],
)
def test_starlette_percent_encodes_what_a_header_cannot_carry(
    url: str, location: str
) -> None:
    response = RedirectResponse(url)

    assert response.headers["location"] == location
    assert "set-cookie" not in response.headers


def test_a_client_following_the_307_gets_the_new_page() -> None:
    response = TestClient(moved.app).get("/manual")

    assert [r.status_code for r in response.history] == [301, 307]
    assert str(response.url) == "http://testserver/guide/v2"
    assert response.json() == {"page": "guide, second edition"}


# --- see_other.py and post_then_307.py --------------------------------------


def test_the_shop_page_has_a_form_that_posts_to_orders() -> None:
    response = TestClient(see_other.app).get("/")

    assert response.status_code == 200
    assert '<form method="post" action="/orders">' in response.text


def test_303_after_the_post_sends_the_client_to_a_get() -> None:
    client = TestClient(see_other.app)
    first = client.post("/orders", follow_redirects=False)

    assert first.status_code == 303
    number = int(first.headers["location"].removeprefix("/orders/"))
    followed = client.post("/orders")
    assert followed.history[0].status_code == 303
    assert followed.request.method == "GET"
    assert followed.status_code == 200
    assert f"<title>Order {number + 1}</title>" in followed.text


def test_307_after_the_post_repeats_the_post_and_gets_405() -> None:
    client = TestClient(post_then_307.app)
    first = client.post("/orders", follow_redirects=False)

    assert first.status_code == 307
    followed = client.post("/orders")
    assert followed.history[0].status_code == 307
    assert followed.request.method == "POST"
    assert followed.status_code == 405
    assert followed.headers["allow"] == "GET"
    assert followed.json() == {"detail": "Method Not Allowed"}


@pytest.mark.parametrize("module", [see_other, post_then_307])
def test_order_numbers_are_bounded(module: object) -> None:
    client = TestClient(module.app)

    assert client.get("/orders/0").status_code == 422
    assert client.get("/orders/999999999").status_code == 200
    assert client.get("/orders/1000000000").status_code == 422


# --- open_redirect.py and safe_next.py --------------------------------------


@pytest.mark.parametrize("trick", LEAVE)
def test_the_mistake_sends_an_outside_url_back_as_the_location(trick: str) -> None:
    response = no_follow(open_redirect.app).get("/signed-in", params={"next": trick})

    assert response.status_code == 303
    assert response.headers["location"] == trick


@pytest.mark.parametrize("trick", LEAVE_PAST_SLASH_CHECK)
def test_a_startswith_slash_check_lets_protocol_relative_urls_through(
    trick: str,
) -> None:
    client = no_follow(open_redirect.app)
    response = client.get("/signed-in-checked", params={"next": trick})

    assert response.headers["location"] == trick
    assert response.headers["location"].startswith("//")


@pytest.mark.parametrize("path", ["/signed-in", "/signed-in-checked"])
def test_cr_lf_in_next_adds_no_header_to_the_mistake(path: str) -> None:
    client = no_follow(open_redirect.app)
    response = client.get(path, params={"next": "/account\r\nSet-Cookie: s=evil"})

    assert response.headers["location"] == "/account%0D%0ASet-Cookie:%20s=evil"
    assert set(response.headers) == {"content-length", "location"}


def where_it_leads(location: str) -> str:
    """ "home", "evil.example" or "stays", as the page's table names them."""
    if location == "/":
        return "home"
    url = urljoin("http://127.0.0.1:8000/signed-in-checked", location)
    # a browser reads any run of two or more slashes as "another host follows"
    leaves = location.startswith("//") or urlsplit(url).hostname == "evil.example"
    return "evil.example" if leaves else "stays"


@pytest.mark.parametrize(("trick", "goes"), CHECKED_GOES.items())
def test_the_slash_check_sends_each_trick_where_the_table_says(
    trick: str, goes: str
) -> None:
    client = no_follow(open_redirect.app)
    response = client.get("/signed-in-checked", params={"next": trick})

    assert response.status_code == 303
    assert where_it_leads(response.headers["location"]) == goes
    if goes == "stays":  # the value itself, percent-encoded where needed
        assert response.headers["location"] != "/"
        assert urlsplit(response.headers["location"]).netloc == ""


@pytest.mark.parametrize("trick", TRICKS + ENCODED_TRICKS)
def test_the_fix_sends_every_trick_home(trick: str) -> None:
    response = no_follow(safe_next.app).get("/signed-in", params={"next": trick})

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert set(response.headers) == {"content-length", "location"}


@pytest.mark.parametrize("page", sorted(safe_next.LOCAL_PAGES))
def test_the_fix_follows_next_to_each_listed_page(page: str) -> None:
    response = no_follow(safe_next.app).get("/signed-in", params={"next": page})

    assert response.status_code == 303
    assert response.headers["location"] == page
    followed = TestClient(safe_next.app).get("/signed-in", params={"next": page})
    assert followed.status_code == 200
    assert followed.url.path == page


@pytest.mark.parametrize("module", [open_redirect, safe_next])
def test_next_is_bounded(module: object) -> None:
    response = no_follow(module.app).get("/signed-in", params={"next": "/" * 201})

    assert response.status_code == 422


def test_every_url_the_page_says_to_open_ends_on_a_page() -> None:
    opened = SERVE_AND_OPEN.findall(PAGE.read_text())

    assert len(opened) == 5
    for module_name, url in opened:
        app = importlib.import_module(module_name).app
        client = TestClient(app, base_url="http://127.0.0.1:8000")
        response = client.get(url)
        assert response.status_code == 200, (module_name, url)


def test_the_standard_extras_install_httptools() -> None:
    # docs/redirects.md: fastapi[standard] installs uvicorn[standard], which
    # installs httptools, the parser uvicorn then picks over h11.
    def standard(distribution: str) -> list[str]:
        return [
            requirement
            for requirement in importlib.metadata.requires(distribution) or []
            if re.search(r"""extra\s*==\s*["']standard["']""", requirement)
        ]

    assert any(r.startswith("uvicorn[standard]") for r in standard("fastapi"))
    assert any(r.startswith("httptools") for r in standard("uvicorn"))
