"""docs/behind_nginx.md through TestClient: what the apps send before nginx
sees it (the real nginx is in tests/e2e/test_behind_nginx_*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from examples.behind_nginx import downloads, feeds

CONFS = Path(__file__).resolve().parent.parent / "examples" / "behind_nginx"


def test_the_plain_stream_has_no_x_accel_buffering() -> None:
    response = TestClient(feeds.app).get("/lines", params={"count": 2})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert "x-accel-buffering" not in response.headers
    assert response.text == "line 1\nline 2\n"


def test_the_unbuffered_stream_says_x_accel_buffering_no() -> None:
    response = TestClient(feeds.app).get(
        "/lines-unbuffered", params={"count": 2, "pad": 3}
    )
    assert response.headers["x-accel-buffering"] == "no"
    assert response.text == "line 1...\nline 2...\n"


def test_event_source_response_says_x_accel_buffering_no_by_itself() -> None:
    response = TestClient(feeds.app).get("/events", params={"count": 2})
    assert response.headers["x-accel-buffering"] == "no"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.text == (
        'data: {"number": 1}\nid: 1\n\ndata: {"number": 2}\nid: 2\n\n'
    )


@pytest.mark.parametrize("path", ["/events-returned", "/events-by-hand"])
def test_sse_not_yielded_by_fastapi_carries_neither_header(path: str) -> None:
    """Only a yielding path operation with response_class=EventSourceResponse
    gets X-Accel-Buffering: no and Cache-Control: no-cache."""
    response = TestClient(feeds.app).get(path, params={"count": 2})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert "x-accel-buffering" not in response.headers
    assert "cache-control" not in response.headers
    assert response.text == 'data: {"number": 1}\n\ndata: {"number": 2}\n\n'


@pytest.mark.parametrize(
    "path",
    ["/lines", "/lines-unbuffered", "/events", "/events-returned", "/events-by-hand"],
)
@pytest.mark.parametrize(
    "params", [{"count": 0}, {"count": 21}, {"pad": -1}, {"pad": 10_001}]
)
def test_feeds_bound_count_and_pad(path: str, params: dict[str, int]) -> None:
    if path.startswith("/events") and "pad" in params:
        params = {"count": 99}
    assert TestClient(feeds.app).get(path, params=params).status_code == 422


def test_the_sse_ping_interval_is_15_seconds() -> None:
    import fastapi.routing

    assert fastapi.routing._PING_INTERVAL == 15.0


def client() -> TestClient:
    return TestClient(downloads.app, headers={"X-Token": "let-me-in"})


def test_the_app_names_the_file_and_sends_no_body() -> None:
    response = client().get("/downloads/summary.csv")
    assert response.status_code == 200
    assert response.headers["x-accel-redirect"] == "/protected-reports/summary.csv"
    assert response.headers["content-disposition"] == (
        'attachment; filename="summary.csv"'
    )
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content == b""


@pytest.mark.parametrize("token", [None, "", "let-me-in!", "x" * 100])
def test_a_missing_or_wrong_token_is_refused(token: str | None) -> None:
    headers = {} if token is None else {"X-Token": token}
    response = TestClient(downloads.app).get("/downloads/summary.csv", headers=headers)
    assert response.status_code == 403
    assert response.json() == {"detail": "Not allowed"}
    assert "x-accel-redirect" not in response.headers


def test_an_overlong_token_is_a_422() -> None:
    response = TestClient(downloads.app).get(
        "/downloads/summary.csv", headers={"X-Token": "x" * 101}
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "name",
    [
        "..%2Fdownloads.py",
        "%2Fetc%2Fpasswd",
        ".hidden",
        "nope.csv",
        "%2e%2e",
        "a" * 101,
    ],
)
def test_names_outside_the_pattern_or_folder_are_404(name: str) -> None:
    response = client().get(f"/downloads/{name}")
    assert response.status_code == 404
    assert "x-accel-redirect" not in response.headers


def test_a_symbolic_link_in_the_folder_is_404(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "secret.txt").write_text("outside")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "link.csv").symlink_to(tmp_path / "secret.txt")
    (tmp_path / "reports" / "real.csv").write_text("inside")
    monkeypatch.setattr(downloads, "REPORTS", tmp_path / "reports")
    assert client().get("/downloads/link.csv").status_code == 404
    assert client().get("/downloads/real.csv").status_code == 200


def test_the_alias_in_the_config_is_the_folder_the_app_checks() -> None:
    conf = (CONFS / "x_accel_redirect.conf").read_text()
    assert "location /protected-reports/ {" in conf
    assert "    internal;\n" in conf
    assert "    alias reports/;\n" in conf
    assert "    disable_symlinks on from=$document_root;\n" in conf
    assert (CONFS / "reports").resolve() == downloads.REPORTS
