"""Per-line arrival of a stream (tools/bench/arrival_bench.py): how the client
decodes what arrives, the gzipped copy of the app, and how the page's findings
are drawn from the rounds."""

from __future__ import annotations

import gzip
import zlib

from fastapi.testclient import TestClient

from tools.bench import arrival_bench, inflight, report


def chunked(*pieces: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


HEAD = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"


def test_the_body_is_dechunked_as_far_as_it_has_arrived() -> None:
    raw = HEAD + chunked(b"line 1\n", b"line 2\n")

    assert arrival_bench.body(raw) == b"line 1\nline 2\n"
    cut = HEAD + chunked(b"line 1\n", b"line 2\n")[:16]  # inside the second chunk
    assert arrival_bench.body(cut) == b"line 1\nl"
    assert arrival_bench.body(b"HTTP/1.1 200 OK\r\n") == b""


def test_a_gzipped_body_is_decoded_as_far_as_it_can_be() -> None:
    compress = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
    first = compress.compress(b"line 1\n") + compress.flush(zlib.Z_SYNC_FLUSH)
    second = compress.compress(b"line 2\n") + compress.flush()
    head = HEAD.replace(b"\r\n\r\n", b"\r\ncontent-encoding: gzip\r\n\r\n")

    assert arrival_bench.body(head + chunked(first)[:-5]) == b"line 1\n"
    assert arrival_bench.body(head + chunked(first, second)) == b"line 1\nline 2\n"


def test_the_gzip_path_is_the_same_app_compressed() -> None:
    client = TestClient(inflight.arrival_app)

    plain = client.get("/lines", params={"count": 3})
    zipped = client.get(
        "/gzip/lines", params={"count": 3}, headers={"Accept-Encoding": "gzip"}
    )
    raw = client.stream(
        "GET", "/gzip/lines", params={"count": 3}, headers={"Accept-Encoding": "gzip"}
    )
    with raw as response:
        compressed = b"".join(response.iter_raw())

    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(compressed) == plain.content == b"line 1\nline 2\nline 3\n"
    assert client.get("/gzip/nothing").status_code == 404


def arrival_results(gaps: dict[str, list[float]]) -> dict:
    """Results with the gap between lines per variant, one value per round."""
    runs = [
        {
            "repeat": repeat,
            "variant": key,
            "first_ms": 500.0 if gap < 10 else 2.0,
            "gap_ms": gap,
            "last_ms": 500.0,
            "gzipped": False,
        }
        for key, *_ in arrival_bench.VARIANTS
        for repeat, gap in enumerate(gaps.get(key, [50.0, 50.0, 50.0]))
    ]
    return {
        "arrival": {
            "variants": [
                {"key": key, "label": label, "conf": conf, "path": path}
                for key, label, conf, path, _ in arrival_bench.VARIANTS
            ],
            "baseline": "direct",
            "lines": 10,
            "pause_s": 0.05,
            "runs": runs,
        }
    }


def test_lines_count_as_held_only_if_they_came_together_in_every_round() -> None:
    results = arrival_results(
        {
            "proxy_default": [0.0, 0.1, 0.0],  # held in every round
            "gzip_streams": [0.0, 0.0, 50.0],  # passed on in one round
        }
    )

    assert report.held(results, "proxy_default")
    assert not report.held(results, "gzip_streams")
    assert not report.held(results, "buffering_off")
    finding = report.arrival_findings(results)["arrival"]
    held, apart = finding.split("Passed on line by line: ")
    assert "`proxy_default.conf`\u201d (first line after 500 ms" in held
    assert "gzip_streams" not in held and "gzip_streams" in apart


def test_every_nginx_config_measured_is_a_file_of_the_behind_nginx_page() -> None:
    confs = {conf for _, _, conf, _, _ in arrival_bench.VARIANTS if conf}

    assert confs == {
        "proxy_default.conf",
        "http11.conf",
        "buffering_off.conf",
        "gzip_streams.conf",
    }
    assert all((arrival_bench.CONFS / conf).is_file() for conf in confs)
