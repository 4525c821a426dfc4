"""docs/files.md with curl and Chromium on a real uvicorn: resuming an
interrupted download, and the name a download is saved under."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.http_clients import MiB, sha256_file
from tests.files_support import PDF
from tools.servers import Server, serve
from tools.waiting import wait_until

# --- resuming with curl ------------------------------------------------------


def test_curl_resumes_an_interrupted_download_to_an_identical_file(
    tmp_path: Path, curl: str
) -> None:
    original = tmp_path / "original.bin"
    original.write_bytes(os.urandom(32 * MiB))
    saved = tmp_path / "saved.bin"
    headers = tmp_path / "headers.txt"
    with serve(
        "examples.files.resume_download:app", overrides={"SUMMARY": original}
    ) as server:
        url = server.url + "/download"
        # A slow download, stopped once its first MiB is on disk: an
        # interrupted download. (Stopping it after a fixed time left nothing
        # on disk when a busy machine was slow to answer.)
        first = subprocess.Popen(
            [
                curl,
                "-sS",
                "--limit-rate",
                "2M",
                "-D",
                str(headers),
                "-o",
                str(saved),
                url,
            ]
        )
        try:
            wait_until(
                lambda: saved.exists() and saved.stat().st_size >= MiB,
                timeout=30,
                waiting_for="the first MiB of the download",
            )
        finally:
            first.terminate()
            first.wait(timeout=10)
        partial = saved.stat().st_size
        resumed = subprocess.run(
            [
                curl,
                "-sS",
                "-C",
                "-",
                "-o",
                str(saved),
                "-w",
                "%{http_code} %{size_download}",
                url,
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert headers.read_text().startswith("HTTP/1.1 200 ")
    assert MiB <= partial < 32 * MiB  # stopped part way
    assert resumed.returncode == 0, resumed.stderr
    # curl asked for `Range: bytes=<partial>-` and got only the rest.
    assert resumed.stdout == f"206 {32 * MiB - partial}"
    assert sha256_file(saved) == sha256_file(original)


# --- file names with accents, as curl -OJ saves them -------------------------


@pytest.mark.parametrize(
    ("path", "saved_as"),
    [
        # curl ignores filename*= and falls back to the last part of the URL.
        ("/resume", "resume"),
        # With an ASCII filename= next to it, curl uses that.
        ("/resume-with-fallback", "resume 2026.pdf"),
    ],
)
def test_curl_remote_header_name_saves_the_ascii_name(
    tmp_path: Path, curl: str, path: str, saved_as: str
) -> None:
    with serve("examples.files.non_ascii_filename:app") as server:
        result = subprocess.run(
            [curl, "-sS", "-O", "-J", "-w", "%{filename_effective}", server.url + path],
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
            cwd=tmp_path,
        )

    assert result.returncode == 0, result.stderr
    assert result.stdout == saved_as
    assert [p.name for p in tmp_path.iterdir()] == [saved_as]
    assert (tmp_path / saved_as).read_bytes() == PDF


# --- what Chromium does with content-disposition ------------------------------


def chromium_download(page: Page, url: str, tmp_path: Path) -> tuple[str, bytes]:
    """Click a link to `url`: (the name Chromium would save it as, the bytes)."""
    page.set_default_timeout(5_000)
    page.set_content(f'<a href="{url}">get it</a>')
    with page.expect_download() as caught:
        page.click("a")
    download = caught.value
    assert download.failure() is None
    target = tmp_path / "saved"
    download.save_as(target)
    return download.suggested_filename, target.read_bytes()


def test_chromium_saves_the_download_as_summary_pdf(tmp_path: Path, page: Page) -> None:
    with serve("examples.files.download_report:app") as server:
        saved = chromium_download(page, server.url + "/download", tmp_path)

    assert saved == ("summary.pdf", PDF)


@pytest.fixture(scope="module")
def names_server() -> Iterator[Server]:
    with serve("examples.files.non_ascii_filename:app") as server:
        yield server


@pytest.mark.parametrize(
    "path",
    [
        "/resume",  # Chromium reads filename*=
        "/resume-with-fallback",  # and prefers it to filename=
    ],
)
def test_chromium_saves_the_accented_name(
    tmp_path: Path, page: Page, names_server: Server, path: str
) -> None:
    saved = chromium_download(page, names_server.url + path, tmp_path)

    assert saved == ("résumé 2026.pdf", PDF)
