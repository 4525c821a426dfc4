"""The measuring method behind docs/performance.md: in-flight counts, wrk windows,
repeats, round orders and the tables the report renders."""

from __future__ import annotations

import itertools
from pathlib import Path

import anyio
import anyio.to_thread
import pytest

from examples.performance import json_variants, streaming_variants
from tests.support import call_asgi
from tools.bench import (
    common,
    inflight,
    json_bench,
    report,
    streaming_bench,
)
from tools.bench.common import round_order, wrk_window

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
    assert json_bench.APP == "tools.bench.inflight:json_app"
    assert streaming_bench.APP == "tools.bench.inflight:streaming_app"


def test_wrk_window_fits_a_slow_route() -> None:
    # A fast route keeps the configured run; the timeout stays at 10 s.
    assert wrk_window(2, 4, 0.002) == (2, 10)
    # A route taking 2.5 s finishes a few in 8 s; with 4 connections one may
    # wait for the three others, so the timeout is 4 x 4 x 2.5 s.
    assert wrk_window(2, 4, 2.5) == (8, 40)


def test_a_run_with_no_finished_request_is_repeated_longer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs: list[tuple[int, int]] = []
    drained: list[bool] = []

    def fake_wrk(url, seconds, timeout, connections, script) -> dict[str, int]:
        runs.append((seconds, timeout))
        done = 0 if len(runs) == 1 else 6  # the first run is too short
        return {
            "requests": done,
            "duration_us": seconds * 10**6,
            "bytes": 0,
            "errors": 0,
            "p50_us": 1,
            "p99_us": 1,
        }

    monkeypatch.setattr(common, "wrk_once", fake_wrk)
    result = common.wrk(
        "http://x/untyped/1mb",
        seconds=1,
        connections=2,
        script=Path("report.lua"),
        one_request_s=2.0,
        before_retry=lambda: drained.append(True),
    )

    assert runs == [(6, 16), (12, 16)]  # stretched to the route, then doubled
    assert drained == [True]  # on an idle server again
    assert (result["requests"], result["seconds"], result["rps"]) == (6, 12, 0.5)


def test_a_route_that_never_finishes_fails_after_two_longer_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lengths: list[int] = []

    def empty(url, seconds, timeout, connections, script) -> dict[str, int]:
        lengths.append(seconds)
        return dict.fromkeys(
            ("requests", "duration_us", "bytes", "errors", "p50_us", "p99_us"), 0
        )

    monkeypatch.setattr(common, "wrk_once", empty)

    with pytest.raises(RuntimeError, match="no requests"):
        common.wrk("http://x/", seconds=2, connections=4, script=Path("x"))
    assert lengths == [2, 4, 8]


def test_a_run_with_errors_is_not_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(url, seconds, timeout, connections, script) -> dict[str, int]:
        return dict.fromkeys(
            ("requests", "duration_us", "bytes", "p50_us", "p99_us"), 1
        ) | {"errors": 3}

    monkeypatch.setattr(common, "wrk_once", failing)

    with pytest.raises(RuntimeError, match="errors"):
        common.wrk("http://x/", seconds=1, connections=2, script=Path("x"))


def test_every_round_measures_in_another_order() -> None:
    items = tuple(range(10))
    orders = [round_order(items, r, 3) for r in range(3)]

    assert all(sorted(o) == list(items) for o in orders)
    assert len({o[0] for o in orders}) == 3  # never the same one first
    assert len({o[-1] for o in orders}) == 3  # nor last
    follows = [set(itertools.pairwise(o)) for o in orders]
    assert not follows[0] & follows[1] and not follows[1] & follows[2]


def json_results(rps: dict[tuple[str, str], list[float]]) -> dict:
    """Results with requests per second by (variant, size), one value per round."""
    runs = [
        {"repeat": repeat, "size": size, "variant": key, "rps": value}
        for size in json_bench.SIZES
        for key, _, _ in json_bench.VARIANTS
        for repeat, value in enumerate(rps.get((key, size), [100.0, 100.0, 100.0]))
    ]
    return {
        "json": {
            "variants": [
                {"key": key, "label": label, "path": path}
                for key, label, path in json_bench.VARIANTS
            ],
            "baseline": "typed",
            "body_bytes": {"1kb": 1026, "1mb": 998248},
            "runs": runs,
        }
    }


def test_an_order_is_stated_only_where_every_round_agrees() -> None:
    findings = report.json_findings(
        json_results(
            {
                # One round of three ahead: within noise, whatever the median.
                ("orjson_default_typed", "1kb"): [90.0, 116.0, 95.0],
                # Behind in every round, by more than 1 MB's 1.2x margin: an order.
                ("orjson_default_typed", "1mb"): [70.0, 75.0, 80.0],
            }
        )
    )
    sentence = findings["json_orjson_default_typed"]

    assert sentence.startswith("At 1 KB, \u201c`ORJSONResponse` as default, typed")
    assert "and the typed return were within noise of each other (0.90" in sentence
    assert (
        "answered fewer requests per second than the typed return in every round"
        in (sentence.split("; ")[1])
    )


def test_the_fastest_route_is_named_only_if_it_led_every_round() -> None:
    findings = report.json_findings(
        json_results(
            {
                ("typed_model", "1kb"): [150.0, 150.0, 150.0],
                ("orjson_bytes", "1kb"): [160.0, 140.0, 155.0],
                ("orjson_bytes", "1mb"): [900.0, 800.0, 850.0],
                ("orjson_response", "1mb"): [500.0, 600.0, 550.0],
            }
        )
    )
    small, large = findings["json_fastest"].split(". At 1 MB")

    assert small.startswith(
        "At 1 KB, no route was ahead of all the others in every round. "
        "\u201c`Response(orjson.dumps(...))`\u201d had the highest median; "
        "every other route but \u201creturn type, returns a model\u201d was "
        "behind it in every round."
    )
    # Counted pair by pair: each of the two is ahead of the ten others.
    assert "20 of the 66 pairs at 1 KB came out in the same order" in small
    assert "\u201c`Response(orjson.dumps(...))`\u201d answered the most" in large
    assert "ahead of every other route in every round" in large


def test_pairs_are_ordered_pair_by_pair_not_only_against_the_leader() -> None:
    results = json_results(
        {
            # The leader, noisy: no route is behind it in every round.
            ("orjson_default_typed", "1kb"): [300.0, 120.0, 50.0],
            # Behind the typed return in every round, not behind the leader.
            ("orjson_bytes", "1kb"): [50.0, 60.0, 55.0],
        }
    )

    assert len(report.json_leaders(results, "1kb")) == 12
    pairs = report.json_pairs(results, "1kb")
    behind_bytes = {a for a, b, _ in pairs if b == "orjson_bytes"}
    assert behind_bytes == {k for k, _, _ in json_bench.VARIANTS} - {
        "orjson_bytes",
        "orjson_default_typed",
    }
    (ratio,) = [r for a, b, r in pairs if (a, b) == ("typed", "orjson_bytes")]
    assert (round(ratio.low, 2), round(ratio.high, 2)) == (1.67, 2.0)
    findings = report.json_findings(results)
    assert (
        "none of the other eleven was behind it in every round"
        in (findings["json_fastest"])
    )
    assert "10 of the 66 pairs at 1 KB" in findings["json_fastest"]
    assert findings["json_small_vs_typed"] == (
        "At 1 KB, no route answered more requests per second than the typed "
        "return in every round; the typed return answered more than "
        "\u201c`Response(orjson.dumps(...))`\u201d (1.67\u20132.00\u00d7 its "
        "rate across rounds) in every round."
    )


def test_equal_pairs_keep_one_order_one_time_in_four_over_three_rounds() -> None:
    assert report.chance_ordered(45, 3) == 45 / 4
    assert report.chance_ordered(1, 5) == 1 / 16


def test_p99_is_shown_only_past_100_timed_requests() -> None:
    results = json_results({})
    for row in results["json"]["runs"]:
        few = row["size"] == "1mb" or row["variant"] == "untyped"
        row.update(requests=20 if few else 2000, p50_ms=1.0, p99_ms=7.0)
    small = report.json_table(results, "1kb").splitlines()
    large = report.json_table(results, "1mb").splitlines()

    assert small[0].endswith("| Requests timed | Median ms | p99 ms |")
    assert (
        small[2]
        == "| return type | 100 (100\u2013100) | 1.00\u00d7 (1.00\u20131.00) | 2,000 | 1.00 | 7.00 |"
    )
    untyped = next(line for line in small if line.startswith("| untyped dict"))
    assert untyped.endswith("| 20 | 1.00 | \u2013 |")
    assert all(line.endswith("| 20 | 1.00 | \u2013 |") for line in large[2:])


def test_counted_times_exactly_the_requests_it_sends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[str] = []

    def fake_get(port: int, path: str, *, timeout: float) -> common.Timed:
        sent.append(path)
        return common.Timed(200, 0.001, 0.002 * len(sent), 10)

    monkeypatch.setattr(common, "timed_get", fake_get)

    result = common.counted(1, "/typed/1mb", requests=20, connections=4)

    assert sent == ["/typed/1mb"] * 20
    assert result["requests"] == 20
    assert result["rps"] == pytest.approx(20 / result["seconds"])
    assert result["p99_ms"] == pytest.approx(40.0)  # the slowest of 20


def test_the_json_writers_are_timed_in_alternating_order() -> None:
    from examples.performance import json_variants

    first, second = (json_bench.writer_times(json_variants, r) for r in (0, 1))

    assert [w["writer"] for w in first] == ["pydantic", "orjson"]
    assert [w["writer"] for w in second] == ["orjson", "pydantic"]
    assert all(
        w["ms"] > 0 and w["repeat"] == r
        for r, ws in enumerate((first, second))
        for w in ws
    )


def test_a_margin_keeps_a_narrow_order_within_noise() -> None:
    """The 1 MB JSON rows: the same order in every round counts only above 1.2x."""
    spread = report.Spread
    narrow, wide = spread(1.05, 1.02, 1.09), spread(1.5, 1.25, 2.0)

    assert report.ordered(narrow) == 1
    assert report.ordered(narrow, 1.2) == 0
    assert report.ordered(wide, 1.2) == 1
    assert report.ordered(spread(0.8, 0.7, 0.82), 1.2) == -1
    assert report.ordered(spread(0.85, 0.79, 0.9), 1.2) == 0
    assert report.json_margin("1mb") == 1.2 and report.json_margin("1kb") == 1
    text = report.compare(narrow, "a", "b", "more", "less", 1.2)
    assert text.startswith("a and b were within noise of each other")
    assert "the same order in every round" in text
