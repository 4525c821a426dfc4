"""The `curl -i` transcripts on the pages come from a real uvicorn, and stay true.

Each transcript is a file under examples/<page>/transcripts/ that its page
includes. This test serves the example, runs the same curl command, normalises
what changes from run to run (the date, a file's etag and modification time)
and compares (pytest-regressions' file_regression). After a deliberate change,
refresh every transcript with:

    python3 dev.py -s e2e -- -k transcripts --force-regen
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from tests.e2e.curl_output import SHOWN_PORT, normalise
from tools.servers import ROOT, serve


@dataclass(frozen=True)
class Transcript:
    file: str  # under examples/
    app: str
    target: str  # path and query
    curl: tuple[str, ...] = ("-i",)  # curl's options, shown on the page

    @property
    def path(self) -> Path:
        return ROOT / "examples" / self.file


TRANSCRIPTS = [
    Transcript(
        "json_response/transcripts/custom_error_404.txt",
        "examples.json_response.custom_error:app",
        "/books/0",
    ),
    Transcript(
        "json_response/transcripts/custom_error_200.txt",
        "examples.json_response.custom_error:app",
        "/books/1",
    ),
    Transcript(
        "handling_errors/transcripts/cors_on_errors_404.txt",
        "examples.handling_errors.cors_on_errors:app",
        "/prices/9",
        ("-i", "-H", "Origin: https://shop.example"),
    ),
    Transcript(
        "handling_errors/transcripts/cors_on_errors_500.txt",
        "examples.handling_errors.cors_on_errors:app",
        "/prices/2",
        ("-i", "-H", "Origin: https://shop.example"),
    ),
    Transcript(
        "problem_details/transcripts/problem_json_409.txt",
        "examples.problem_details.problem_json:app",
        "/items/2/reserve",
        ("-i", "-H", "content-type: application/json", "-d", '{"quantity": 1}'),
    ),
    Transcript(
        "streaming/transcripts/text_lines_sync.txt",
        "examples.streaming.text_lines_sync:app",
        "/lines?count=5",
        ("-i", "-N"),
    ),
    Transcript(
        "server_sent_events/transcripts/ticks_event_source.txt",
        "examples.server_sent_events.ticks_event_source:app",
        "/ticks?count=3",
        ("-i", "-N"),
    ),
    Transcript(
        "files/transcripts/download_report_headers.txt",
        "examples.files.download_report:app",
        "/download",
        ("-D", "-", "-o", "/dev/null"),  # headers only: the body is a PDF
    ),
    Transcript(
        "files/transcripts/resume_download_range.txt",
        "examples.files.resume_download:app",
        "/download",
        ("-i", "-H", "Range: bytes=0-7"),
    ),
    Transcript(
        "security/transcripts/security_headers_404.txt",
        "examples.security.security_headers:app",
        "/items/2",
    ),
]


def record(transcript: Transcript) -> str:
    with serve(transcript.app) as server:
        command = ["curl", "-sS", *transcript.curl, server.url + transcript.target]
        run = subprocess.run(
            command, capture_output=True, text=True, timeout=30, check=True
        )
        output = normalise(run.stdout, server.port)
    url = f"http://127.0.0.1:{SHOWN_PORT}{transcript.target}"
    return f"$ {shlex.join(['curl', *transcript.curl, url])}\n{output}"


@pytest.mark.parametrize("transcript", TRANSCRIPTS, ids=lambda t: t.file)
def test_transcript_matches_a_real_server(
    transcript: Transcript, file_regression: FileRegressionFixture
) -> None:
    file_regression.check(
        record(transcript), fullpath=transcript.path, encoding="utf-8", newline="\n"
    )


def test_every_transcript_file_is_recorded_here() -> None:
    on_disk = {
        p.relative_to(ROOT / "examples").as_posix()
        for p in ROOT.glob("examples/*/transcripts/*.txt")
    }
    assert on_disk == {t.file for t in TRANSCRIPTS}


def test_normalise_hides_only_what_changes_between_runs() -> None:
    raw = (
        "HTTP/1.1 200 OK\r\ndate: Tue, 24 Nov 2026 05:00:00 GMT\r\nserver: uvicorn\r\n"
        'etag: "0dadbc77"\r\nlast-modified: Tue, 24 Nov 2026 04:00:00 GMT\r\n'
        "location: http://127.0.0.1:4321/x\r\n\r\nbody\n"
    )

    assert normalise(raw, 4321) == (
        "HTTP/1.1 200 OK\ndate: <when you ask>\nserver: uvicorn\n"
        'etag: "<from the modification time and size>"\n'
        "last-modified: <the file's modification time>\n"
        "location: http://127.0.0.1:8000/x\n\nbody\n"
    )


def test_normalise_cuts_long_bodies() -> None:
    raw = "HTTP/1.1 200 OK\r\n\r\n" + "".join(f"line {n}\n" for n in range(1, 21))

    assert normalise(raw, 1).splitlines()[-2:] == ["line 16", "… (4 more lines)"]
