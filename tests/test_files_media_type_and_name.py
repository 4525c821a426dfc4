"""FileResponse: the media type, the charset and the file name in
content-disposition (docs/files.md)."""

from __future__ import annotations

import gzip
import mimetypes
import sys
from pathlib import Path
from urllib.parse import quote, unquote

import h11
import pytest
from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.testclient import TestClient
from starlette import responses as starlette_responses

from examples.files import (
    compressed_export,
    inline_view,
    non_ascii_filename,
    text_file_charset,
)
from tests.files_support import PDF, SUMMARY

# --- media type and content-disposition -------------------------------------


def test_inline_shows_the_file_and_guesses_the_type() -> None:
    client = TestClient(inline_view.app)

    view = client.get("/view")
    raw = client.get("/raw")

    assert view.headers["content-type"] == "application/pdf"
    assert view.headers["content-disposition"] == 'inline; filename="summary.pdf"'
    assert raw.headers["content-type"] == "application/pdf"
    assert set(raw.headers) == {
        "content-type",
        "accept-ranges",
        "content-length",
        "last-modified",
        "etag",
    }
    assert view.content == raw.content == PDF


@pytest.mark.parametrize(
    ("path_name", "filename", "expected"),
    [
        ("data.bin", "report.csv", "text/csv; charset=utf-8"),
        ("data.bin", "notes.txt", "text/plain; charset=utf-8"),
        ("page.html", None, "text/html; charset=utf-8"),
        ("picture.png", None, "image/png"),
        ("data.bin", None, "application/octet-stream"),
        ("no_extension", None, "application/octet-stream"),
    ],
)
def test_media_type_is_guessed_from_the_filename_then_the_path(
    tmp_path: Path, path_name: str, filename: str | None, expected: str
) -> None:
    path = tmp_path / path_name
    path.write_bytes(b"x")
    app = FastAPI()

    @app.get("/file")
    def file() -> FileResponse:
        return FileResponse(path, filename=filename)

    assert TestClient(app).get("/file").headers["content-type"] == expected


BUILT_IN_TYPES = mimetypes.MimeTypes(filenames=())  # without the machine's list


def test_the_guess_uses_the_machines_list_of_types(tmp_path: Path) -> None:
    # Starlette asks the module-level guess_type, which reads the machine's
    # files (knownfiles) on top of Python's built-in table.
    assert starlette_responses.guess_type is mimetypes.guess_type
    assert "/etc/mime.types" in mimetypes.knownfiles
    listed = tmp_path / "mime.types"
    listed.write_text("text/x-report md\n")

    assert mimetypes.MimeTypes(filenames=[str(listed)]).guess_type("a.md")[0] == (
        "text/x-report"
    )


def test_pythons_built_in_table_differs_between_versions() -> None:
    guesses = {n: BUILT_IN_TYPES.guess_type(n)[0] for n in ("a.md", "a.webp", "a.js")}

    if sys.version_info < (3, 12):
        expected = {"a.md": None, "a.webp": None, "a.js": "application/javascript"}
    elif sys.version_info < (3, 13):
        expected = {"a.md": None, "a.webp": None, "a.js": "text/javascript"}
    else:
        expected = {"a.md": "text/markdown", "a.webp": "image/webp"}
        expected["a.js"] = "text/javascript"
    assert guesses == expected


EXPORT = compressed_export.EXPORT.read_bytes()


def test_the_export_is_gzipped_csv() -> None:
    assert gzip.decompress(EXPORT).startswith(b"quarter,revenue\n")
    assert BUILT_IN_TYPES.guess_type("export.csv.gz") == ("text/csv", "gzip")


def test_a_gzipped_file_is_guessed_as_its_content_without_the_encoding() -> None:
    response = TestClient(compressed_export.app).get("/export-guessed")

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "content-encoding" not in response.headers
    assert response.content == EXPORT  # the gzip bytes, as they are on disk


def test_passing_the_media_type_names_the_gzip_file() -> None:
    response = TestClient(compressed_export.app).get("/export")

    assert response.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in response.headers
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="export.csv.gz"'
    )
    assert response.content == EXPORT


def test_non_ascii_filename_is_percent_encoded() -> None:
    response = TestClient(non_ascii_filename.app).get("/resume")

    assert (
        response.headers["content-disposition"]
        == "attachment; filename*=utf-8''r%C3%A9sum%C3%A9%202026.pdf"
    )
    assert response.content == PDF


def test_an_ascii_fallback_comes_before_the_encoded_name() -> None:
    response = TestClient(non_ascii_filename.app).get("/resume-with-fallback")

    assert response.headers["content-disposition"] == (
        'attachment; filename="resume 2026.pdf"; '
        "filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf"
    )
    assert response.headers.get_list("content-disposition") == [
        response.headers["content-disposition"]
    ]
    assert response.headers["content-type"] == "application/pdf"
    assert response.content == PDF


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("résumé 2026.pdf", "resume 2026.pdf"),
        ('say "hi".pdf', "say hi.pdf"),
        ("back\\slash.pdf", "backslash.pdf"),
        ("日本.pdf", ".pdf"),
        ("Œuvre ﬁnale.pdf", "uvre finale.pdf"),  # Œ has no ASCII form
        ("a\r\nb.pdf", "ab.pdf"),  # a line break would end the header
        ("tab\there\x00\x7f.pdf", "tabhere.pdf"),
        ("2026/q1.pdf", "2026/q1.pdf"),
    ],
)
def test_the_fallback_is_plain_ascii_without_quotes(name: str, fallback: str) -> None:
    header = non_ascii_filename.attachment(name)

    assert header.isascii()
    assert header.isprintable()  # no control characters, in either form
    assert header.startswith(f"attachment; filename=\"{fallback}\"; filename*=UTF-8''")
    assert unquote(header.split("''", 1)[1]) == name
    # h11, uvicorn's HTTP/1.1 library, refuses to send an invalid header value;
    # under uvicorn the client then gets no answer at all.
    h11.Response(status_code=200, headers=[("content-disposition", header)])


def test_filename_star_percent_encodes_everything_but_a_few_marks() -> None:
    header = non_ascii_filename.attachment("a\r\nb c/d_e.f-g~h.pdf")

    assert header.endswith("filename*=UTF-8''a%0D%0Ab%20c%2Fd_e.f-g~h.pdf")


LATIN_1_MENU = text_file_charset.MENU.read_bytes()


def test_the_menu_is_latin_1_and_not_utf_8() -> None:
    assert LATIN_1_MENU.decode("latin-1").startswith("Café crème")
    with pytest.raises(UnicodeDecodeError):
        LATIN_1_MENU.decode("utf-8")


# Only names that Python's built-in table knows on every supported Python, so the
# guess doesn't depend on the machine's /etc/mime.types. Other text types are
# passed as media_type.
@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("menu.txt", "text/plain"),
        ("menu.csv", "text/csv"),
        ("menu.html", "text/html"),
        (None, "text/markdown"),
        (None, "text/x-anything"),
    ],
)
def test_every_text_type_is_called_utf_8_whatever_the_bytes(
    name: str | None, media_type: str
) -> None:
    app = FastAPI()

    @app.get("/guessed")
    def guessed() -> FileResponse:
        return FileResponse(text_file_charset.MENU, filename=name)

    @app.get("/passed")
    def passed() -> FileResponse:
        return FileResponse(text_file_charset.MENU, media_type=media_type)

    client = TestClient(app)
    paths = ["/passed"]
    if name is not None:
        assert BUILT_IN_TYPES.guess_type(name)[0] == media_type
        paths.append("/guessed")
    for path in paths:
        response = client.get(path)
        assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
        assert response.content == LATIN_1_MENU


def test_the_guessed_type_makes_clients_decode_latin_1_wrongly() -> None:
    response = TestClient(text_file_charset.app).get("/menu-guessed.txt")

    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.content == LATIN_1_MENU  # the bytes are sent unchanged
    assert response.text.startswith("Caf\ufffd cr\ufffdme")


def test_naming_the_charset_keeps_it_and_clients_decode_it_right() -> None:
    response = TestClient(text_file_charset.app).get("/menu.txt")

    assert response.headers["content-type"] == "text/plain; charset=iso-8859-1"
    assert response.content == LATIN_1_MENU
    assert response.text == LATIN_1_MENU.decode("latin-1")
    assert response.headers["content-disposition"] == 'attachment; filename="menu.txt"'


@pytest.mark.parametrize(
    "name", ["report_2026-v1.0~final.pdf", "2026/q1.pdf", "ABC.xyz"]
)
def test_letters_digits_and_a_few_marks_keep_the_plain_form(name: str) -> None:
    response = FileResponse(SUMMARY, filename=name)

    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'


@pytest.mark.parametrize(
    "name",
    ["a b.pdf", "it's.pdf", "a(1).pdf", "a[1].pdf", "a+b.pdf", "a,b.pdf", "é.pdf"],
)
def test_anything_quote_changes_switches_to_the_encoded_form(name: str) -> None:
    response = FileResponse(SUMMARY, filename=name)

    assert response.headers["content-disposition"] == (
        f"attachment; filename*=utf-8''{quote(name)}"
    )
    assert quote(name) != name


def test_quotes_in_a_filename_also_switch_to_the_encoded_form() -> None:
    response = FileResponse(SUMMARY, filename='say "hi".pdf')

    assert (
        response.headers["content-disposition"]
        == "attachment; filename*=utf-8''say%20%22hi%22.pdf"
    )
