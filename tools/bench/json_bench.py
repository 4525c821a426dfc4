"""JSON: the same payloads sent twelve ways, timed by wrk against uvicorn, and
two typed routes again on uvicorn[standard].

Each round gets a fresh server, measures the variants in its own order, and
starts every measurement on an idle server (see tools/bench/inflight.py).
At 1 MB a fixed count of requests is timed instead (common.counted).
"""

from __future__ import annotations

import time
from pathlib import Path

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
    servers = [(VARIANTS, {}), (STANDARD, STANDARD_SERVER)]
    for repeat in range(settings.repeats):
        # Odd rounds start with uvicorn[standard].
        for variants, kwargs in servers[:: -1 if repeat % 2 else 1]:
            order = round_order(variants, repeat, settings.repeats)
            with serve(APP, env=QUIET, **kwargs) as server:
                runs += measure(server, order, repeat, settings, script)
    body_bytes = {
        size: len(json_variants.Catalog.model_validate(payload).model_dump_json())
        for size, payload in json_variants.PAYLOADS.items()
    }
    return {
        "method": (
            "fresh server per round, idle server per run, order varied; "
            "1 MB by a fixed count of requests"
        ),
        "variants": [
            {"key": key, "label": label, "path": path}
            for key, label, path in VARIANTS + STANDARD
        ],
        "baseline": BASELINE,
        "body_bytes": body_bytes,
        "runs": runs,
    }


def measure(server, order, repeat: int, settings: Settings, script: Path) -> list[dict]:
    """Every variant of `order` at every size on one server, each on an idle server."""
    runs = []
    one_request_s = warm_up(server.port, order)
    for size in SIZES:
        for position, (key, _, path) in enumerate(order):
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
                    one_request_s=one_request_s[(path, size)],
                    before_retry=lambda port=server.port: wait_idle(port),
                )
            runs.append(
                {
                    "repeat": repeat,
                    "size": size,
                    "variant": key,
                    "position": position,
                    "tool": "client" if size in COUNTED else "wrk",
                }
            )
            runs[-1].update(result)
            print(f"json {repeat} {size} {key}: {result['rps']:.0f}/s")
    return runs


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
