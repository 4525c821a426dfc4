"""Serving files by name from one folder, and refusing names that leave it
(docs/files.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.testclient import TestClient

from examples.files import reports_by_name
from tests.files_support import PDF
from tests.support import asgi_messages

# --- serving by name from a fixed folder --------------------------------------


@pytest.fixture
def reports_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A reports folder in tmp_path, with a secret next to it and symlinks."""
    base = tmp_path / "reports"
    (base / "2026").mkdir(parents=True)
    (base / "summary.pdf").write_bytes(PDF)
    (base / "2026" / "q1.pdf").write_bytes(b"q1")
    (tmp_path / "secret.txt").write_text("do not serve me")
    (base / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (base / "escape_dir").symlink_to(tmp_path)
    (base / "alias.pdf").symlink_to(base / "summary.pdf")
    (base / "loop.pdf").symlink_to(base / "loop.pdf")  # points at itself
    (base / "ping").symlink_to(base / "pong")  # two links pointing at each other
    (base / "pong").symlink_to(base / "ping")
    monkeypatch.setattr(reports_by_name, "REPORTS", base.resolve())
    return base


def test_report_by_name_serves_files_in_the_folder(reports_dir: Path) -> None:
    client = TestClient(reports_by_name.app)

    summary = client.get("/reports/summary.pdf")
    q1 = client.get("/reports/2026/q1.pdf")
    alias = client.get("/reports/alias.pdf")

    assert (summary.status_code, summary.content) == (200, PDF)
    assert (q1.status_code, q1.content) == (200, b"q1")
    assert q1.headers["content-disposition"] == 'attachment; filename="q1.pdf"'
    assert (alias.status_code, alias.content) == (200, PDF)
    assert alias.headers["content-disposition"] == 'attachment; filename="summary.pdf"'


BAD_NAMES = [
    "%2e%2e%2fsecret.txt",
    "%2E%2E%2Fsecret.txt",
    "2026%2f%2e%2e%2f%2e%2e%2fsecret.txt",
    "%2e%2e",
    "%2e",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%2fetc%2fpasswd",
    "/etc/passwd",
    "escape.txt",
    "escape_dir/secret.txt",
    "escape_dir/reports/summary.pdf%2f%2e%2e%2f%2e%2e%2fsecret.txt",
    "loop.pdf",
    "ping",
    "pong/x.pdf",
    "2026",
    "missing.pdf",
    "summary.pdf%00.txt",
    "%00",
    "a" * 300,
    "a" * 5000,
    ("d" * 200 + "/") * 30 + "x.pdf",
    "%ff%fe.pdf",
    "..%5csecret.txt",
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_report_by_name_refuses_bad_names_with_404(
    reports_dir: Path, name: str
) -> None:
    response = TestClient(reports_by_name.app).get(f"/reports/{name}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Report not found"}


@pytest.mark.parametrize(
    "name",
    [
        "../secret.txt",
        "../../../../etc/passwd",
        "/etc/passwd",
        "2026/../../secret.txt",
        "summary.pdf\x00",
        "a" * 5000,
        "escape.txt",
        "escape_dir/secret.txt",
        "loop.pdf",
        "ping",
        "",
        ".",
    ],
)
def test_find_report_refuses_names_outside_the_folder(
    reports_dir: Path, name: str
) -> None:
    from fastapi import HTTPException

    with pytest.raises(HTTPException) as caught:
        reports_by_name.find_report(name)

    assert caught.value.status_code == 404


def test_raw_dot_dot_paths_reach_the_handler_and_get_404(reports_dir: Path) -> None:
    # A server passes "/reports/../secret.txt" on as it is (curl --path-as-is),
    # where an HTTP client library would have tidied the dots away first.
    for path in ("/reports/../secret.txt", "/reports/2026/../../secret.txt"):
        messages = asgi_messages(reports_by_name.app, path)
        assert messages[0]["status"] == 404
        assert b"do not serve me" not in b"".join(m.get("body", b"") for m in messages)


def test_without_the_check_the_same_names_leak_files(reports_dir: Path) -> None:
    app = FastAPI()

    @app.get("/reports/{name:path}")
    def naive(name: str) -> FileResponse:
        return FileResponse(reports_dir / name)

    client = TestClient(app, raise_server_exceptions=False)

    assert client.get("/reports/%2e%2e%2fsecret.txt").text == "do not serve me"
    assert client.get("/reports/escape.txt").text == "do not serve me"
    assert client.get("/reports/%2fetc%2fpasswd").status_code == 200
    assert client.get("/reports/missing.pdf").status_code == 500


def test_very_long_name_raises_oserror_without_the_guard(reports_dir: Path) -> None:
    with pytest.raises(OSError, match="File name too long"):
        (reports_dir / ("a" * 5000)).resolve().is_file()


def test_a_symlink_loop_raises_without_the_guard_before_python_3_13(
    reports_dir: Path,
) -> None:
    loop = reports_dir / "loop.pdf"
    if sys.version_info < (3, 13):
        with pytest.raises(RuntimeError, match="Symlink loop"):
            loop.resolve()
    else:  # resolve() gives the path back, and is_file() says False
        assert not loop.resolve().is_file()


def test_joining_an_absolute_name_replaces_the_folder() -> None:
    assert Path("/srv/reports") / "/etc/passwd" == Path("/etc/passwd")


def test_nul_byte_raises_value_error_without_the_guard(reports_dir: Path) -> None:
    with pytest.raises(ValueError, match=r"null (byte|character)"):
        (reports_dir / "summary.pdf\x00").resolve().is_file()
