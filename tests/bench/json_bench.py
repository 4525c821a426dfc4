"""JSON: the same payloads sent ten ways, timed by wrk against one uvicorn."""

from __future__ import annotations

from pathlib import Path

from tests.bench.common import WRK_REPORT, Settings, timed_get, wrk
from tests.servers import serve

APP = "examples.performance.json_variants:app"
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
)
BASELINE = "typed"
SIZES = ("1kb", "1mb")


def run(settings: Settings, workdir: Path) -> dict[str, object]:
    from examples.performance import json_variants

    script = workdir / "report.lua"
    script.write_text(WRK_REPORT)
    runs = []
    with serve(APP, env=QUIET) as server:
        # Call every route a few times (imports, caches) before anything is timed.
        for size in SIZES:
            for _, _, path in VARIANTS:
                for _ in range(3):
                    if timed_get(server.port, f"{path}/{size}").status != 200:
                        raise RuntimeError(f"{path}/{size} did not answer 200")
        for repeat in range(settings.repeats):
            for size in SIZES:
                for key, _, path in VARIANTS:
                    result = wrk(
                        f"{server.url}{path}/{size}",
                        seconds=settings.wrk_seconds,
                        connections=settings.wrk_connections,
                        script=script,
                    )
                    runs.append({"repeat": repeat, "size": size, "variant": key})
                    runs[-1].update(result)
                    print(f"json {repeat} {size} {key}: {result['rps']:.0f}/s")
    body_bytes = {
        size: len(json_variants.Catalog.model_validate(payload).model_dump_json())
        for size, payload in json_variants.PAYLOADS.items()
    }
    return {
        "variants": [
            {"key": key, "label": label, "path": path} for key, label, path in VARIANTS
        ],
        "baseline": BASELINE,
        "body_bytes": body_bytes,
        "runs": runs,
    }
