"""docs/behind_nginx.md: X-Accel-Redirect. The app checks the token and the
name; nginx sends the file from its `internal` location, which no client URL
reaches, and no hostile name reaches a file outside the folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.behind_nginx_support import nginx
from tests.e2e.http_clients import raw_http
from tools.servers import serve

SECRET = b"outside the reports folder\n"


@pytest.fixture(scope="module")
def proxy_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    work = tmp_path_factory.mktemp("nginx")
    reports = work / "reports"  # the conf's `alias reports/;`, relative to work
    shutil.copytree(Path("examples/behind_nginx/reports"), reports)
    (work / "secret.txt").write_bytes(SECRET)
    (reports / ".hidden").write_bytes(SECRET)
    # Links planted in the folder (an upload or a build step could do that).
    (reports / "link.csv").symlink_to(work / "secret.txt")
    (reports / "passwd.csv").symlink_to("/etc/passwd")
    with (
        serve(
            "examples.behind_nginx.downloads:app", overrides={"REPORTS": reports}
        ) as app,
        nginx("x_accel_redirect.conf", app.port, work) as port,
    ):
        yield port


def get(port: int, target: str, token: str | None = "let-me-in"):
    head = f"GET {target} HTTP/1.1\r\nHost: e2e\r\nConnection: close\r\n"
    if token is not None:
        head += f"X-Token: {token}\r\n"
    return raw_http("127.0.0.1", port, (head + "\r\n").encode())


def test_nginx_sends_the_file_the_app_names(proxy_port: int) -> None:
    reply = get(proxy_port, "/downloads/summary.csv")
    expected = Path("examples/behind_nginx/reports/summary.csv").read_bytes()
    assert reply.status == 200
    assert reply.body == expected  # the app's body was empty
    assert reply.headers["content-length"] == str(len(expected))
    assert reply.headers["content-type"] == "text/csv; charset=utf-8"  # the app's
    assert reply.headers["content-disposition"] == 'attachment; filename="summary.csv"'
    assert "x-accel-redirect" not in reply.headers  # nginx keeps it to itself
    assert reply.headers["server"].startswith("nginx")


def test_without_the_token_the_app_refuses(proxy_port: int) -> None:
    for token in (None, "wrong"):
        reply = get(proxy_port, "/downloads/summary.csv", token)
        assert reply.status == 403
        assert reply.body == b'{"detail":"Not allowed"}'


@pytest.mark.parametrize(
    "target",
    [
        "/protected-reports/summary.csv",  # the internal location itself
        "/protected-reports/../secret.txt",
        "/protected-reports/%2e%2e/secret.txt",
    ],
)
def test_a_client_cannot_reach_the_internal_location(
    proxy_port: int, target: str
) -> None:
    reply = get(proxy_port, target)
    assert reply.status == 404
    assert SECRET not in reply.body
    assert b"quarter,total" not in reply.body


@pytest.mark.parametrize(
    "name",
    [
        "../secret.txt",
        "..%2Fsecret.txt",
        "%2e%2e%2fsecret.txt",
        "%2E%2E%2Fsecret.txt",
        "..%5Csecret.txt",
        "%2Fetc%2Fpasswd",
        "%2F%2Fetc%2Fpasswd",
        "%2e%2e",
        "....%2F%2Fsecret.txt",
        ".hidden",
        "summary.csv%00.txt",
        "summary.csv%2F..%2F..%2Fsecret.txt",
        "nope.csv",
        "link.csv",  # a symbolic link to ../secret.txt
        "passwd.csv",  # a symbolic link to /etc/passwd
    ],
)
def test_hostile_names_never_reach_a_file_outside_the_folder(
    proxy_port: int, name: str
) -> None:
    reply = get(proxy_port, f"/downloads/{name}")
    # nginx itself refuses a NUL byte in a URL; the app refuses the rest.
    assert reply.status == (400 if "%00" in name else 404)
    assert SECRET not in reply.body
    assert b"root:" not in reply.body


def test_nginx_refuses_a_link_even_if_the_app_were_fooled(tmp_path: Path) -> None:
    """The app checks one folder, where link.csv is a plain file (as if the
    file were swapped for a link after the check); nginx sends from another,
    where link.csv is a symbolic link: disable_symlinks answers 403."""
    work, checked = tmp_path / "nginx", tmp_path / "checked"
    shutil.copytree(Path("examples/behind_nginx/reports"), work / "reports")
    shutil.copytree(Path("examples/behind_nginx/reports"), checked)
    (work / "secret.txt").write_bytes(SECRET)
    (work / "reports" / "link.csv").symlink_to(work / "secret.txt")
    (checked / "link.csv").write_bytes(b"looks harmless\n")
    with (
        serve(
            "examples.behind_nginx.downloads:app", overrides={"REPORTS": checked}
        ) as app,
        nginx("x_accel_redirect.conf", app.port, work) as port,
    ):
        fooled = get(port, "/downloads/link.csv")
        plain = get(port, "/downloads/summary.csv")
    assert fooled.status == 403
    assert SECRET not in fooled.body
    assert plain.status == 200  # the folder itself is no link
