"""docs/behind_nginx.md: X-Accel-Redirect. The app checks the token and the
name; nginx sends the file from its `internal` location, which no client URL
reaches, and no hostile name reaches a file outside the folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.behind_nginx_support import CONFS, nginx
from tests.e2e.http_clients import raw_http
from tools.nginx import proxy
from tools.servers import Server, serve

SECRET = b"outside the reports folder\n"


def linked_folder(base: Path) -> Path:
    """base/current, a symbolic link to base/releases/42 (as a deploy might
    switch releases): the nginx prefix, so the folder's path runs through it."""
    real = base / "releases" / "42"
    real.mkdir(parents=True)
    (base / "current").symlink_to(real)
    return base / "current"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = linked_folder(tmp_path_factory.mktemp("nginx"))
    reports = work / "reports"  # the conf's `alias reports/;`, relative to work
    shutil.copytree(Path("examples/behind_nginx/reports"), reports)
    (work / "secret.txt").write_bytes(SECRET)
    (reports / ".hidden").write_bytes(SECRET)
    # Links planted in the folder (an upload or a build step could do that).
    (reports / "link.csv").symlink_to(work / "secret.txt")
    (reports / "passwd.csv").symlink_to("/etc/passwd")
    return work


@pytest.fixture(scope="module")
def app(work: Path) -> Iterator[Server]:
    reports = work / "reports"
    with serve(
        "examples.behind_nginx.downloads:app", overrides={"REPORTS": reports}
    ) as app:
        yield app


@pytest.fixture(scope="module")
def proxy_port(app: Server, work: Path) -> Iterator[int]:
    with nginx("x_accel_redirect.conf", app.port, work) as port:
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
    work, checked = linked_folder(tmp_path / "nginx"), tmp_path / "checked"
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
    assert plain.status == 200  # the links in the folder's own path are allowed


def test_plain_disable_symlinks_refuses_every_file_under_a_linked_path(
    app: Server, work: Path, tmp_path: Path
) -> None:
    """Without `from=$document_root`, nginx checks every directory of the
    path, and the folder's path runs through `current`: nothing is sent."""
    conf = (CONFS / "x_accel_redirect.conf").read_text()
    assert conf.count("disable_symlinks on from=$document_root;") == 1
    conf = conf.replace("from=$document_root", "").replace(
        "alias reports/;",
        f"alias {work}/reports/;",  # the full path, as advised
    )
    (tmp_path / "plain.conf").write_text(conf)
    with proxy(tmp_path / "plain.conf", app.port, tmp_path / "nginx") as port:
        reply = get(port, "/downloads/summary.csv")
    direct = get(app.port, "/downloads/summary.csv")
    assert direct.headers["x-accel-redirect"] == "/protected-reports/summary.csv"
    assert reply.status == 404  # although the app said yes
    assert b"quarter,total" not in reply.body
