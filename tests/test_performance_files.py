"""The file variants the benchmarks time send the same bytes and refuse bad names
(docs/performance.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from examples.behind_nginx import downloads
from examples.performance import files_variants
from tools.bench import files_bench
from tools.bench.common import Settings

# --- the file variants -----------------------------------------------------------


def test_file_variants_send_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files_bench.make_file(tmp_path / "data.bin", 200_000)
    monkeypatch.setattr(files_variants, "FILES", tmp_path)
    client = TestClient(files_variants.app)

    bodies = set()
    for _, _, prefix, _ in files_bench.VARIANTS:
        response = client.get(f"{prefix}/data.bin")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/octet-stream"
        bodies.add(response.content)

    assert bodies == {(tmp_path / "data.bin").read_bytes()}


def test_only_file_response_answers_a_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files_bench.make_file(tmp_path / "data.bin", 1000)
    monkeypatch.setattr(files_variants, "FILES", tmp_path)
    client = TestClient(files_variants.app)
    headers = {"Range": "bytes=0-9"}

    ranged = client.get("/file-response/data.bin", headers=headers)
    whole = client.get("/in-memory/data.bin", headers=headers)

    assert (ranged.status_code, len(ranged.content)) == (206, 10)
    assert (whole.status_code, len(whole.content)) == (200, 1000)


@pytest.mark.parametrize("name", [".hidden", "a..b", "noext"])
def test_file_name_must_be_a_plain_name(name: str) -> None:
    client = TestClient(files_variants.app)

    assert client.get(f"/in-memory/{name}").status_code == 422


@pytest.mark.parametrize("prefix", ["/file-response", "/in-memory"])
@pytest.mark.parametrize(
    "name", ["missing.bin", "folder.d", "é.bin", "a" * 96 + ".bin"]
)
def test_a_name_that_is_no_file_gets_404(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefix: str, name: str
) -> None:
    (tmp_path / "folder.d").mkdir()
    monkeypatch.setattr(files_variants, "FILES", tmp_path)
    client = TestClient(files_variants.app)

    response = client.get(f"{prefix}/{name}")

    assert (response.status_code, response.json()) == (404, {"detail": "No such file"})


def test_an_overlong_name_gets_422() -> None:
    client = TestClient(files_variants.app)

    assert client.get("/in-memory/" + "a" * 300 + ".bin").status_code == 422


def test_make_file_writes_exactly_the_size(tmp_path: Path) -> None:
    files_bench.make_file(tmp_path / "f.bin", 3 * files_bench.BLOCK + 5)

    assert (tmp_path / "f.bin").stat().st_size == 3 * files_bench.BLOCK + 5


@pytest.mark.parametrize("settings", [Settings.full(), Settings.quick_run()])
def test_the_x_accel_app_accepts_every_benchmark_file(settings: Settings) -> None:
    """examples/behind_nginx/downloads.py serves only plain names: the bench's are."""
    names = [files_bench.file_name(label) for label, _ in settings.file_sizes]

    for name in [*names, files_bench.WARMUP]:
        assert downloads.FILE_NAME.fullmatch(name), name
    assert files_bench.TOKEN == {"X-Token": downloads.TOKEN}


def test_the_x_accel_app_answers_the_benchmark_with_a_redirect_to_nginx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files_bench.make_file(tmp_path / files_bench.WARMUP, 1024)
    monkeypatch.setattr(downloads, "REPORTS", tmp_path)
    client = TestClient(downloads.app)

    allowed = client.get(f"/downloads/{files_bench.WARMUP}", headers=files_bench.TOKEN)
    refused = client.get(f"/downloads/{files_bench.WARMUP}")

    assert allowed.status_code == 200
    assert allowed.headers["x-accel-redirect"] == (
        f"/protected-reports/{files_bench.WARMUP}"
    )
    assert allowed.content == b""
    assert refused.status_code == 403


def test_only_sizes_up_to_100_mb_are_read_into_memory() -> None:
    settings = Settings.full()

    assert [label for label, _ in files_bench.sizes_for("in_memory", settings)] == [
        "10 MB",
        "100 MB",
    ]
    assert files_bench.sizes_for("file_response", settings) == list(settings.file_sizes)


def test_x_accel_goes_through_nginx_with_sendfile_on_as_the_ceiling_does() -> None:
    from tools import nginx as shared
    from tools.bench import nginx

    assert nginx.PROXY_SENDFILE.replace(nginx.SENDFILE, "") == shared.PROXY
    assert "sendfile on;" in nginx.CONFIG and "tcp_nopush on;" in nginx.CONFIG
    assert "sendfile" not in shared.PROXY  # nginx's own default: off
    assert files_bench.X_ACCEL_CONF.read_text().count("alias reports/;") == 1
