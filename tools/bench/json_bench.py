"""JSON: the same payloads sent twelve ways, timed by wrk against uvicorn, and
one, the typed route returning models, again on uvicorn[standard].

Each round gets a fresh server, measures the variants in its own order, and
starts every measurement on an idle server (see tools/bench/inflight.py).
At 1 MB a fixed count of requests is timed instead (common.counted).
"""

from __future__ import annotations

import time
from pathlib import Path

import orjson

from tools.bench.common import (
    WRK_REPORT,
    Settings,
    counted,
    round_order,
    timed_get,
    wait_idle,
    wrk,
)
from tools.servers import serve

APP = "tools.bench.inflight:json_app"  # examples/performance/json_variants.py
# ORJSONResponse warns on every instance; keep that out of the server log. The
# filter names the message: FastAPIDeprecationWarning is a UserWarning (so a
# DeprecationWarning filter misses it), and PYTHONWARNINGS cannot name a class
# from a module that is not imported at startup.
QUIET = {"PYTHONWARNINGS": "ignore:ORJSONResponse is deprecated"}

# (key, label on the page, path without the size); "typed" is the baseline.
VARIANTS = (
    ("typed", "return type", "/typed"),
    ("typed_model", "return type, returns a model", "/typed-model"),
    ("typed_sync", "return type, `def` route", "/typed-sync"),
    ("response_model", "`response_model=`", "/response-model"),
    ("untyped", "untyped dict", "/untyped"),
    ("json_response", "`JSONResponse`", "/json-response"),
    ("orjson_response", "`ORJSONResponse`", "/orjson-response"),
    (
        "orjson_default_untyped",
        "`ORJSONResponse` as default, untyped",
        "/orjson-default/untyped",
    ),
    (
        "orjson_default_typed",
        "`ORJSONResponse` as default, typed",
        "/orjson-default/typed",
    ),
    ("orjson_bytes", "`Response(orjson.dumps(...))`", "/orjson-bytes"),
    ("model_dump_json", "`Response(model.model_dump_json())`", "/model-dump-json"),
    (
        "type_adapter",
        "`Response(TypeAdapter(Catalog).dump_json(model))`",
        "/type-adapter",
    ),
)
# The same app on uvicorn[standard] (httptools and uvloop), in the same round.
STANDARD = (
    (
        "typed_model_standard",
        "return type, returns a model, uvicorn[standard]",
        "/typed-model",
    ),
)
STANDARD_SERVER = {"http": "httptools", "loop": "uvloop"}
BASELINE = "typed"
SIZES = ("1kb", "1mb")
WARM_UP = {"1kb": 3, "1mb": 1}  # calls per route before timing
# Sizes timed by a fixed count of requests (common.counted), not by wrk: at
# 1 MB, the slowest routes take about a second a request, and a wrk run of
# seconds would finish only a handful of them.
COUNTED = {"1mb"}


def run(settings: Settings, workdir: Path) -> dict[str, object]:
    from examples.performance import json_variants

    script = workdir / "report.lua"
    script.write_text(WRK_REPORT)
    runs = []
    writers = []
    standard = {key for key, _, _ in STANDARD}
    for repeat in range(settings.repeats):
        # Both servers run for the whole round, and the variants of both are
        # measured in one order, interleaved, each on an idle server.
        with (
            serve(APP, env=QUIET) as plain,
            serve(APP, env=QUIET, **STANDARD_SERVER) as fast,
        ):
            one_request_s = {
                **warm_up(plain.port, VARIANTS),
                **{
                    ("standard", *k): v for k, v in warm_up(fast.port, STANDARD).items()
                },
            }
            order = round_order(VARIANTS + STANDARD, repeat, settings.repeats)
            for size in SIZES:
                for position, variant in enumerate(order):
                    on_standard = variant[0] in standard
                    server = fast if on_standard else plain
                    key = (variant[2], size)
                    slowest = one_request_s[("standard", *key) if on_standard else key]
                    runs.append(
                        measure(server, variant, size, slowest, settings, script)
                        | {"repeat": repeat, "position": position}
                    )
        writers += writer_times(json_variants, repeat)
    body_bytes = {
        size: len(json_variants.Catalog.model_validate(payload).model_dump_json())
        for size, payload in json_variants.PAYLOADS.items()
    }
    return {
        "method": (
            "fresh servers per round, idle server per run, order varied; "
            "1 MB by a fixed count of requests"
        ),
        "variants": [
            {"key": key, "label": label, "path": path}
            for key, label, path in VARIANTS + STANDARD
        ],
        "baseline": BASELINE,
        "body_bytes": body_bytes,
        "runs": runs,
        "writers": writers,
    }


def measure(
    server, variant, size: str, one_request_s: float, settings: Settings, script: Path
) -> dict:
    """One variant at one size, on an idle server."""
    key, _, path = variant
    wait_idle(server.port)
    if size in COUNTED:
        result = counted(
            server.port,
            f"{path}/{size}",
            requests=settings.counted_requests,
            connections=settings.wrk_connections,
        )
    else:
        result = wrk(
            f"{server.url}{path}/{size}",
            seconds=settings.wrk_seconds,
            connections=settings.wrk_connections,
            script=script,
            one_request_s=one_request_s,
            before_retry=lambda port=server.port: wait_idle(port),
        )
    print(f"json {size} {key}: {result['rps']:.0f}/s")
    return {
        "size": size,
        "variant": key,
        "tool": "client" if size in COUNTED else "wrk",
        **result,
    }


WRITER_CALLS = 5  # per writer and round; the fastest call counts


def writer_times(example, repeat: int) -> list[dict]:
    """Milliseconds to write the 1 MB catalog as JSON, in this process, no server.

    Pydantic from the validated models (what a typed route returning them
    does), orjson from the dicts; alternated call by call, the order
    swapped in odd rounds. The fastest of WRITER_CALLS calls counts.
    """
    writers = {
        "pydantic": lambda: example.MODELS["1mb"].model_dump_json(),
        "orjson": lambda: orjson.dumps(example.PAYLOADS["1mb"]),
    }
    names = list(writers)[:: -1 if repeat % 2 else 1]
    best = dict.fromkeys(names, float("inf"))
    for _ in range(WRITER_CALLS):
        for name in names:
            start = time.perf_counter()
            writers[name]()
            best[name] = min(best[name], time.perf_counter() - start)
    return [
        {"repeat": repeat, "writer": name, "ms": best[name] * 1e3} for name in names
    ]


def warm_up(port: int, variants=VARIANTS) -> dict[tuple[str, str], float]:
    """Call every route (imports, caches) before anything is timed.

    Three times at the small size, once at the large one, where the code
    paths are the same and a call can take a second on a busy machine.
    Returns the slowest time per (path, size), which sets how long wrk must
    run to see that route finish requests.
    """
    slowest = {}
    for size in SIZES:
        for _, _, path in variants:
            times = []
            for _ in range(WARM_UP[size]):
                start = time.perf_counter()
                if timed_get(port, f"{path}/{size}").status != 200:
                    raise RuntimeError(f"{path}/{size} did not answer 200")
                times.append(time.perf_counter() - start)
            slowest[(path, size)] = max(times)
    return slowest
