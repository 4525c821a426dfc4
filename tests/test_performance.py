"""The apps the benchmarks time, and the committed figures (docs/performance.md).

The comparisons are only fair if every variant sends the same bytes, so that is
checked first, through TestClient. Then the committed results: present, made
with the pinned versions, rendered into exactly the fragments the page
includes, and still saying what the page's prose says about them.
"""

from __future__ import annotations

import itertools
import json
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import anyio
import pytest
from fastapi import routing as fastapi_routing
from fastapi.exceptions import FastAPIDeprecationWarning
from fastapi.responses import ORJSONResponse
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.responses import JSONResponse

from examples.performance import files_variants, json_variants, streaming_variants
from tests.bench import files_bench, inflight, json_bench, report, streaming_bench
from tests.bench.common import round_order, wrk_window
from tests.support import call_asgi

ROOT = Path(__file__).resolve().parent.parent
FIGURES_DIR = ROOT / "docs" / "performance"
PAGE = ROOT / "docs" / "performance.md"


# --- the JSON variants -----------------------------------------------------------


def get_json(client: TestClient, path: str):
    if "orjson-response" in path or "orjson-default" in path:
        with pytest.warns(FastAPIDeprecationWarning, match="ORJSONResponse"):
            return client.get(path)
    return client.get(path)


@pytest.mark.parametrize("size", json_bench.SIZES)
def test_every_json_variant_sends_the_same_bytes_and_headers(size: str) -> None:
    client = TestClient(json_variants.app)
    expected = json_variants.Catalog.model_validate(
        json_variants.PAYLOADS[size]
    ).model_dump_json()

    for _, _, path in json_bench.VARIANTS:
        response = get_json(client, f"{path}/{size}")
        assert response.status_code == 200, path
        assert response.text == expected, path
        assert set(response.headers) == {"content-type", "content-length"}, path
        assert response.headers["content-type"] == "application/json", path


def test_json_payloads_are_about_1_kb_and_1_mb() -> None:
    client = TestClient(json_variants.app)

    small = len(client.get("/typed/1kb").content)
    large = len(client.get("/typed/1mb").content)

    assert 900 <= small <= 1100
    assert 900_000 <= large <= 1_100_000


def test_benchmark_covers_every_json_route() -> None:
    routers = (json_variants.plain, json_variants.orjson_default)
    routes = [route for router in routers for route in router.routes]

    assert all(isinstance(route, APIRoute) for route in routes)
    assert sorted(route.path.removesuffix("/{size}") for route in routes) == sorted(
        path for _, _, path in json_bench.VARIANTS
    )


def test_unknown_size_is_rejected() -> None:
    assert TestClient(json_variants.app).get("/typed/1gb").status_code == 422


@pytest.fixture
def json_renders(monkeypatch: pytest.MonkeyPatch) -> list[type]:
    """The class of every JSONResponse (or subclass) that renders a body."""
    seen: list[type] = []
    for cls in (JSONResponse, ORJSONResponse):  # ORJSONResponse has its own render
        original = cls.render

        def spy(self: JSONResponse, content: object, original=original) -> bytes:
            seen.append(type(self))
            return original(self, content)

        monkeypatch.setattr(cls, "render", spy)
    return seen


@pytest.mark.parametrize("path", ["/typed", "/typed-model", "/response-model"])
def test_typed_routes_skip_json_response(path: str, json_renders: list[type]) -> None:
    assert TestClient(json_variants.app).get(f"{path}/1kb").status_code == 200
    assert json_renders == []


@pytest.mark.parametrize(
    ("path", "renderer"),
    [
        ("/untyped", JSONResponse),
        ("/json-response", JSONResponse),
        ("/orjson-response", ORJSONResponse),
        ("/orjson-default/untyped", ORJSONResponse),
        ("/orjson-default/typed", ORJSONResponse),
    ],
)
def test_which_class_renders_the_other_routes(
    path: str, renderer: type, json_renders: list[type]
) -> None:
    get_json(TestClient(json_variants.app), f"{path}/1kb")

    assert json_renders == [renderer]


def test_the_router_default_applies_to_its_routes() -> None:
    classes = {
        route.path: route.response_class
        for route in json_variants.orjson_default.routes
        if isinstance(route, APIRoute)
    }

    assert classes == {
        "/orjson-default/untyped/{size}": ORJSONResponse,
        "/orjson-default/typed/{size}": ORJSONResponse,
    }


def test_a_def_route_hands_off_twice_an_async_def_route_never(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    original = fastapi_routing.run_in_threadpool

    async def counting(func, *args, **kwargs):
        calls.append(getattr(func, "__name__", repr(func)))
        return await original(func, *args, **kwargs)

    monkeypatch.setattr(fastapi_routing, "run_in_threadpool", counting)
    client = TestClient(json_variants.app)

    client.get("/typed/1kb")
    assert calls == []
    client.get("/typed-sync/1kb")
    assert len(calls) == 2  # the endpoint, then the validation of its value
    assert calls[-1] == "validate"


def test_untyped_routes_go_through_jsonable_encoder_even_with_orjson(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[object] = []
    original = fastapi_routing.jsonable_encoder

    def spy(value: object, *args, **kwargs):
        seen.append(value)
        return original(value, *args, **kwargs)

    monkeypatch.setattr(fastapi_routing, "jsonable_encoder", spy)
    client = TestClient(json_variants.app)

    client.get("/untyped/1kb")
    get_json(client, "/orjson-default/untyped/1kb")
    client.get("/typed/1kb")
    assert seen == [json_variants.PAYLOADS["1kb"]] * 2


def test_orjson_default_hands_orjson_validated_dicts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[object] = []
    original = ORJSONResponse.render

    def spy(self: ORJSONResponse, content: object) -> bytes:
        seen.append(content)
        return original(self, content)

    monkeypatch.setattr(ORJSONResponse, "render", spy)
    item = json_variants.PAYLOADS["1kb"]["items"][0]
    monkeypatch.setitem(
        json_variants.PAYLOADS, "1kb", {"items": [{**item, "secret": 1}]}
    )

    response = get_json(TestClient(json_variants.app), "/orjson-default/typed/1kb")

    assert seen == [{"items": [item]}]  # validated, filtered, back to dicts
    assert "secret" not in response.text


# --- the streaming variants --------------------------------------------------


@pytest.fixture
def short_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streaming_variants, "LINES", 2_048)
    monkeypatch.setattr(streaming_variants, "SLOW_DELAY", 0.001)


def test_streamed_body_is_1_mib_of_64_byte_lines() -> None:
    line = streaming_variants.line(7)

    assert len(line) == 64
    assert line.startswith("00000007 ") and line.endswith("x\n")
    assert streaming_variants.LINES * len(line) == 2**20
    assert streaming_variants.LINES % streaming_variants.BATCH == 0


@pytest.mark.usefixtures("short_streams")
def test_every_stream_sends_the_same_bytes() -> None:
    client = TestClient(streaming_variants.app)
    expected = "".join(streaming_variants.line(n) for n in range(2_048))

    for _, _, path in streaming_bench.VARIANTS:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text == expected, path


@pytest.mark.usefixtures("short_streams")
@pytest.mark.parametrize(
    ("path", "chunks"),
    [
        ("/sync-lines", 2_048),
        ("/async-lines", 2_048),
        ("/sync-batches", 2),
        ("/async-batches", 2),
    ],
)
def test_lines_or_batches_set_the_number_of_chunks(path: str, chunks: int) -> None:
    with TestClient(streaming_variants.app).stream("GET", path) as response:
        sizes = [len(chunk) for chunk in response.iter_raw()]

    assert len(sizes) == chunks


@pytest.mark.usefixtures("short_streams")
def test_slow_streams_send_the_same_lines_and_bound_their_length() -> None:
    client = TestClient(streaming_variants.app)
    expected = "".join(streaming_variants.line(n) for n in range(3))

    assert client.get("/slow-sync?chunks=3").text == expected
    assert client.get("/slow-async?chunks=3").text == expected
    assert client.get("/slow-sync?chunks=601").status_code == 422
    assert client.get("/ping-sync").json() == client.get("/ping-async").json()


# --- the file variants -----------------------------------------------------------


def test_file_variants_send_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files_bench.make_file(tmp_path / "data.bin", 200_000)
    monkeypatch.setattr(files_variants, "FILES", tmp_path)
    client = TestClient(files_variants.app)

    bodies = set()
    for _, _, prefix in files_bench.VARIANTS:
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


def test_make_file_writes_exactly_the_size(tmp_path: Path) -> None:
    files_bench.make_file(tmp_path / "f.bin", 3 * files_bench.BLOCK + 5)

    assert (tmp_path / "f.bin").stat().st_size == 3 * files_bench.BLOCK + 5


# --- the measuring method ------------------------------------------------------


def test_inflight_counts_the_requests_the_app_is_working_on() -> None:
    async def main() -> None:
        release = anyio.Event()

        async def slow_app(scope, receive, send) -> None:
            await release.wait()  # as a response still being computed
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        app = inflight.InFlight(slow_app)

        async def report() -> str:
            messages = await call_asgi(app, inflight.PATH)
            return messages[1]["body"].decode()

        assert await report() == "0"
        async with anyio.create_task_group() as tg:
            tg.start_soon(call_asgi, app, "/anything")
            tg.start_soon(call_asgi, app, "/anything")
            await anyio.wait_all_tasks_blocked()
            assert await report() == "2"
            release.set()
        assert await report() == "0"

    anyio.run(main)


def test_benchmarked_apps_are_the_examples_wrapped() -> None:
    assert inflight.json_app.app is json_variants.app
    assert inflight.streaming_app.app is streaming_variants.app
    assert json_bench.APP == "tests.bench.inflight:json_app"
    assert streaming_bench.APP == "tests.bench.inflight:streaming_app"


def test_wrk_runs_long_enough_for_a_slow_route_to_finish_requests() -> None:
    # A fast route keeps the configured run; the timeout stays at 10 s.
    assert wrk_window(3, 8, 0.002) == (3, 10)
    # 8 connections on a route taking 2 s: the last of the first eight ends
    # after 16 s, so the run lasts 32 s and a request may take 64 s.
    assert wrk_window(3, 8, 2.0) == (32, 64)
    assert wrk_window(1, 2, 0.8) == (4, 10)


def test_every_round_measures_in_another_order() -> None:
    items = tuple(range(10))
    orders = [round_order(items, r, 3) for r in range(3)]

    assert all(sorted(o) == list(items) for o in orders)
    assert len({o[0] for o in orders}) == 3  # never the same one first
    assert len({o[-1] for o in orders}) == 3  # nor last
    follows = [set(itertools.pairwise(o)) for o in orders]
    assert not follows[0] & follows[1] and not follows[1] & follows[2]


# --- the committed figures ---------------------------------------------------


@pytest.fixture(scope="module")
def results() -> dict:
    return json.loads((FIGURES_DIR / "results.json").read_text())


def pins() -> dict[str, str]:
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]
    found = {}
    for entry in [*groups["examples"], *groups["bench"]]:
        if isinstance(entry, str) and "==" in entry:
            name, _, version = entry.partition("==")
            found[name] = version
    return found


def test_figures_were_made_with_the_pinned_versions(results: dict) -> None:
    pinned = pins()

    assert {"fastapi", "starlette", "pydantic", "uvicorn", "orjson"} <= set(pinned)
    for name, version in pinned.items():
        assert results["versions"][name] == version, name
    assert results["versions"]["wrk"] and results["versions"]["nginx"]


def test_figures_come_from_a_full_run(results: dict) -> None:
    assert results["quick"] is False
    assert results["settings"] == {
        **results["settings"],
        "quick": False,
        "repeats": 3,
    }
    assert results["duration_s"] < 600
    assert results["files"]["nginx"] is True
    machine = results["machine"]
    assert machine["cores"] >= 1 and machine["memory_gib"] > 0 and machine["cpu_model"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", results["date"])


def test_every_case_was_measured_in_every_repeat(results: dict) -> None:
    repeats = set(range(results["settings"]["repeats"]))
    json_runs = results["json"]["runs"]
    for size in json_bench.SIZES:
        for key, _, _ in json_bench.VARIANTS:
            found = {
                r["repeat"]
                for r in json_runs
                if r["size"] == size and r["variant"] == key and r["rps"] > 0
            }
            assert found == repeats, (size, key)
    for key, _, _ in streaming_bench.VARIANTS:
        found = {
            r["repeat"]
            for r in results["streaming"]["downloads"]
            if r["variant"] == key
        }
        assert found == repeats, key
    for size in results["files"]["sizes"]:
        for variant in ("file_response", "in_memory", "nginx"):
            found = {
                r["repeat"]
                for r in results["files"]["runs"]
                if r["size"] == size["label"] and r["variant"] == variant
            }
            assert found == repeats, (size, variant)


def test_fragments_are_what_the_renderer_makes(results: dict) -> None:
    expected = report.fragments(results)
    on_disk = {p.name: p.read_text() for p in FIGURES_DIR.glob("*.md.txt")}

    assert set(on_disk) == set(expected)
    for name, text in expected.items():
        assert on_disk[name] == text, (
            f"{name} differs: run tests.bench.run --render-only"
        )


def test_page_includes_every_fragment_and_figure() -> None:
    page = PAGE.read_text()
    for name in report.fragments(
        json.loads((FIGURES_DIR / "results.json").read_text())
    ):
        assert f'--8<-- "docs/performance/{name}"' in page, name
    for name in report.FIGURES:
        assert f"(performance/{name})" in page, name


@pytest.mark.parametrize("name", report.FIGURES)
def test_figures_are_svg_with_text_as_paths(name: str) -> None:
    root = ET.parse(FIGURES_DIR / name).getroot()

    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert not list(root.iter("{http://www.w3.org/2000/svg}text"))
    assert "font-family" not in (FIGURES_DIR / name).read_text()


# --- what the page says about the figures --------------------------------------


def test_settings_the_page_states_are_the_ones_used(results: dict) -> None:
    page = " ".join(PAGE.read_text().split())
    settings = results["settings"]
    words = {3: "three", 5: "five"}

    assert f"{words[settings['repeats']]} rounds" in page
    assert f"downloaded {words[settings['stream_requests']]} times" in page
    assert f"sends {words[settings['pings']]} requests" in page
    assert f"{settings['wrk_connections']} connections" in page
    assert f"{settings['wrk_seconds']} seconds per run" in page
    items = len(json_variants.PAYLOADS["1mb"]["items"])
    assert f"building {items:,} `Item` objects" in page
    assert f"{streaming_variants.LINES:,} lines of 64 bytes" in page
    assert f"a line every {streaming_variants.SLOW_DELAY:g} s" in page
    assert results["streaming"]["slow_delay_s"] == streaming_variants.SLOW_DELAY
    assert f"{streaming_variants.BATCH * 64 // 1024} KiB batches" in page
    assert [s["label"] for s in results["files"]["sizes"]] == [
        "10 MB",
        "100 MB",
        "1 GiB",
    ]


def json_ratio(results: dict, key: str, size: str) -> float:
    return report.json_ratio(results, key, size).median


def test_typed_return_beats_the_untyped_dict(results: dict) -> None:
    for size in json_bench.SIZES:
        assert json_ratio(results, "untyped", size) < 1, size
        assert json_ratio(results, "orjson_default_untyped", size) < 1, size


def test_orjson_beats_the_typed_return_at_1_mb(results: dict) -> None:
    assert json_ratio(results, "orjson_response", "1mb") > 2
    assert json_ratio(results, "orjson_bytes", "1mb") > 2
    assert json_ratio(results, "typed_model", "1mb") > 2


def test_orjson_default_does_not_make_typed_routes_faster(results: dict) -> None:
    for size in json_bench.SIZES:
        assert json_ratio(results, "orjson_default_typed", size) < 1.05, size


def test_def_route_is_slower_than_async_def_most_for_small_json(results: dict) -> None:
    small = json_ratio(results, "typed_sync", "1kb")
    large = json_ratio(results, "typed_sync", "1mb")

    assert small < large < 1


def test_response_model_measures_like_the_return_type(results: dict) -> None:
    for size in json_bench.SIZES:
        assert 0.75 < json_ratio(results, "response_model", size) < 1.25, size


def test_at_1_kb_the_direct_routes_are_within_a_fifth(results: dict) -> None:
    keys = ["typed", "response_model", "json_response", "orjson_response"]
    ratios = [json_ratio(results, key, "1kb") for key in [*keys, "orjson_bytes"]]

    assert max(ratios) / min(ratios) < 1.25


def test_every_stream_starts_within_a_few_milliseconds(results: dict) -> None:
    ttfb = report.group(
        results["streaming"]["downloads"], ("variant",), lambda r: r["ttfb_ms"]
    )

    assert all(s.median < 5 for s in ttfb.values())


def test_one_line_chunks_cost_far_more_than_batches(results: dict) -> None:
    total = report.group(
        results["streaming"]["downloads"], ("variant",), lambda r: r["total_ms"]
    )

    assert total[("sync_lines",)].median > 2 * total[("async_lines",)].median
    assert total[("async_lines",)].median > 5 * total[("async_batches",)].median
    assert total[("sync_lines",)].median > 5 * total[("sync_batches",)].median


def test_only_sync_streams_past_40_slow_a_def_route(results: dict) -> None:
    spreads = report.threadpool_spreads(results)
    levels = results["streaming"]["levels"]
    idle = spreads[(0, "sync", "sync")].median
    delay_ms = results["streaming"]["slow_delay_s"] * 1000

    assert levels[-1] > 40
    for level in levels:
        def_route = spreads[(level, "sync", "sync")].median
        if level < 40:
            assert def_route < 5 * idle, level
        elif level > 40:  # waits about one or two of the streams' sleeps
            assert 0.5 * delay_ms < def_route < 3 * delay_ms, level
        assert spreads[(level, "async", "sync")].median < 5 * idle, level
        assert spreads[(level, "sync", "async")].median < 5 * idle, level


def test_file_response_memory_stays_flat_and_in_memory_grows(results: dict) -> None:
    s = report.files_spreads(results)
    for size in results["files"]["sizes"]:
        mib = size["bytes"] / 2**20
        label = size["label"]
        assert s["growth"][(label, "in_memory")].median >= 0.9 * mib, label
        assert s["growth"][(label, "file_response")].median < 16, label


def test_first_byte_waits_for_the_read_into_memory(results: dict) -> None:
    s = report.files_spreads(results)
    big = results["files"]["sizes"][-1]["label"]

    assert (
        s["ttfb"][(big, "in_memory")].median
        > 10 * s["ttfb"][(big, "file_response")].median
    )


def test_file_response_is_not_the_faster_sender_below_1_gib(results: dict) -> None:
    s = report.files_spreads(results)
    for size in results["files"]["sizes"][:-1]:
        label = size["label"]
        assert (
            s["rate"][(label, "in_memory")].median
            > s["rate"][(label, "file_response")].median
        )


def test_nginx_is_the_ceiling(results: dict) -> None:
    s = report.files_spreads(results)
    for size in results["files"]["sizes"]:
        label = size["label"]
        assert (
            s["rate"][(label, "nginx")].median
            > s["rate"][(label, "file_response")].median
        )
