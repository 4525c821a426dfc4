"""Behaviour of the examples on docs/security.md: each attack succeeds against the
Mistake and fails against the fix."""

from __future__ import annotations

import re
from types import ModuleType
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from examples.security import (
    download_name,
    download_name_fixed,
    uploads_inline,
    uploads_safe,
)

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(client: TestClient, body: bytes, media_type: str) -> str:
    response = client.post(
        "/uploads", content=body, headers={"content-type": media_type}
    )
    assert response.status_code == 201
    return response.json()["id"]


@pytest.mark.parametrize("media_type", ["image/svg+xml", "text/html"])
def test_the_mistake_serves_a_script_inline_with_the_senders_type(
    media_type: str,
) -> None:
    client = TestClient(uploads_inline.app)
    response = client.get(f"/uploads/{upload(client, SVG, media_type)}")

    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "content-disposition" not in response.headers
    assert "x-content-type-options" not in response.headers
    assert "content-security-policy" not in response.headers
    assert response.content == SVG


@pytest.mark.parametrize("media_type", ["image/svg+xml", "text/html"])
def test_the_fix_serves_the_same_bytes_as_a_sandboxed_download(media_type: str) -> None:
    client = TestClient(uploads_safe.app)
    response = client.get(f"/uploads/{upload(client, SVG, media_type)}")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert (
        response.headers["content-disposition"] == 'attachment; filename="upload.bin"'
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert response.content == SVG


@pytest.mark.parametrize("module", [uploads_inline, uploads_safe])
def test_uploads_are_bounded_and_named_by_the_server(module: ModuleType) -> None:
    client = TestClient(module.app)
    limit = module.MAX_BYTES

    at_limit = client.post("/uploads", content=b"x" * limit)
    too_big = client.post("/uploads", content=b"x" * (limit + 1))
    missing = client.get("/uploads/%2E%2E")  # the id ".."

    assert at_limit.status_code == 201
    assert at_limit.json()["id"] in module.uploads
    assert too_big.status_code == 413
    assert too_big.json() == {"detail": "Upload too large"}
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No such upload"}


@pytest.mark.parametrize("module", [uploads_inline, uploads_safe])
def test_the_oldest_upload_makes_room(module: ModuleType) -> None:
    client = TestClient(module.app)
    uploads = module.uploads
    uploads.clear()
    ids = [upload(client, b"%d" % n, "text/plain") for n in range(module.MAX_FILES + 1)]

    assert len(uploads) == module.MAX_FILES
    assert ids[0] not in uploads
    assert client.get(f"/uploads/{ids[0]}").status_code == 404
    assert client.get(f"/uploads/{ids[-1]}").content == b"%d" % module.MAX_FILES


INJECTED = 'x.csv"; filename="evil.exe'
CRLF = "a\r\nX-Evil: 1"


def test_the_mistake_lets_a_name_add_attributes_and_a_cjk_name_fails() -> None:
    client = TestClient(download_name.app, raise_server_exceptions=False)

    injected = client.get("/export", params={"name": INJECTED})
    cjk = client.get("/export", params={"name": "名簿.csv"})
    crlf = client.get("/export", params={"name": CRLF})

    assert injected.headers["content-disposition"] == (
        'attachment; filename="x.csv"; filename="evil.exe"'
    )
    assert cjk.status_code == 500  # UnicodeEncodeError: headers are latin-1
    assert cjk.text == "Internal Server Error"
    # TestClient hands CR/LF through in one header; a real uvicorn does not
    # (tests/e2e/test_security_real.py)
    assert crlf.status_code == 200
    assert crlf.headers["content-disposition"] == f'attachment; filename="{CRLF}"'
    assert "x-evil" not in crlf.headers


def test_the_mistakes_cjk_name_raises_unicode_encode_error() -> None:
    client = TestClient(download_name.app)

    with pytest.raises(UnicodeEncodeError, match="latin-1"):
        client.get("/export", params={"name": "名簿.csv"})


@pytest.mark.parametrize(
    "name", ["report.csv", INJECTED, "名簿.csv", "café.csv", CRLF, "../../etc/passwd"]
)
def test_the_fix_percent_encodes_any_name(name: str) -> None:
    response = TestClient(download_name_fixed.app).get("/export", params={"name": name})
    header = response.headers["content-disposition"]
    prefix = "attachment; filename=\"export.csv\"; filename*=utf-8''"

    assert response.status_code == 200
    assert header.startswith(prefix)
    encoded = header.removeprefix(prefix)
    assert re.fullmatch(r"[A-Za-z0-9_.~%-]+", encoded)
    assert unquote(encoded) == name
    assert response.text == "id,total\n1,20\n"
