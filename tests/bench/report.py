"""Turn a results.json into the Markdown fragments docs/performance.md includes.

Pure functions of the results: tests/test_performance.py renders the committed
results again and compares, so a fragment cannot be edited by hand, and a
number on the page always comes from the data next to it.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Results = dict  # the parsed results.json
TIMES = "\u00d7"  # the multiplication sign, as in 1.50x
DASH = "\u2013"  # the en dash of a range, as in 1.2-1.5
FIGURES = ("json.svg", "streaming.svg", "threadpool.svg", "files.svg")  # plots.py


@dataclass(frozen=True)
class Spread:
    """The median of repeated measurements, and their smallest and largest."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Iterable[float]) -> Spread:
        values = list(values)
        return cls(statistics.median(values), min(values), max(values))


def group(
    rows: list[dict], keys: tuple[str, ...], value: Callable[[dict], float]
) -> dict[tuple, Spread]:
    """Spread of value(row) over the repeats, for each combination of keys."""
    found: dict[tuple, list[float]] = defaultdict(list)
    for r in rows:
        found[tuple(r[k] for k in keys)].append(value(r))
    return {k: Spread.of(v) for k, v in found.items()}


def ratios(
    rows: list[dict], keys: tuple[str, ...], field: str, baseline: str
) -> dict[tuple, Spread]:
    """Spread over the repeats of row[field] / the baseline's, same repeat."""
    base = {
        (r["repeat"], *(r[k] for k in keys if k != "variant")): r[field]
        for r in rows
        if r["variant"] == baseline
    }

    def ratio(r: dict) -> float:
        return r[field] / base[(r["repeat"], *(r[k] for k in keys if k != "variant"))]

    return group(rows, keys, ratio)


# --- number formatting -------------------------------------------------------


def num(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def times(x: float) -> str:
    return f"{x:.2f}{TIMES}"


def spread(s: Spread, fmt: Callable[[float], str] = num) -> str:
    """Median, then lowest to highest in brackets (ratios: two decimals)."""
    if fmt is times:
        return f"{times(s.median)} ({s.low:.2f}{DASH}{s.high:.2f})"
    return f"{fmt(s.median)} ({fmt(s.low)}{DASH}{fmt(s.high)})"


def table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


NAMES = {
    "python": "Python",
    "fastapi": "FastAPI",
    "starlette": "Starlette",
    "pydantic": "Pydantic",
    "uvicorn": "Uvicorn",
    "orjson": "orjson",
    "matplotlib": "matplotlib (plots)",
    "wrk": "wrk",
    "nginx": "nginx",
}


def labels(section: dict) -> dict[str, str]:
    return {v["key"]: v["label"] for v in section["variants"]}


def size_label(key: str) -> str:
    return {"1kb": "1 KB", "1mb": "1 MB"}.get(key, key)


# --- the fragments -----------------------------------------------------------


def machine(results: Results) -> str:
    m, v = results["machine"], results["versions"]
    s = results["settings"]
    rows = [
        ["Measured", results["date"]],
        ["CPU", f"{m['cpu_model']}, {m['cores']} cores"],
        ["Memory", f"{m['memory_gib']} GiB"],
        [
            "Load average at start",
            ", ".join(str(x) for x in m["load_average_at_start"]),
        ],
        ["Linux", m["kernel"]],
        *([NAMES.get(name, name), str(v[name])] for name in v),
        ["Repeats", str(s["repeats"])],
        ["Whole run", f"{results['duration_s'] / 60:.1f} minutes"],
    ]
    return table(["What", "Value"], rows)


def json_table(results: Results, size: str) -> str:
    section = results["json"]
    runs = [r for r in section["runs"] if r["size"] == size]
    keys = ("variant",)
    rps = group(runs, keys, lambda r: r["rps"])
    vs = ratios(runs, keys, "rps", section["baseline"])
    p50 = group(runs, keys, lambda r: r["p50_ms"])
    p99 = group(runs, keys, lambda r: r["p99_ms"])
    rows = [
        [
            label,
            spread(rps[(key,)]),
            spread(vs[(key,)], times),
            num(p50[(key,)].median),
            num(p99[(key,)].median),
        ]
        for key, label in labels(section).items()
    ]
    head = ["Route", "Requests/s", "vs return type", "Median ms", "p99 ms"]
    return table(head, rows)


def json_ratio(results: Results, key: str, size: str) -> Spread:
    section = results["json"]
    runs = [r for r in section["runs"] if r["size"] == size]
    return ratios(runs, ("variant",), "rps", section["baseline"])[(key,)]


def json_findings(results: Results) -> dict[str, str]:
    section = results["json"]
    name = labels(section)
    sizes = list(section["body_bytes"])
    small, large = sizes[0], sizes[-1]

    def r(key: str, size: str) -> str:
        return spread(json_ratio(results, key, size), times)

    fastest = {
        size: max(name, key=lambda k, size=size: json_ratio(results, k, size).median)
        for size in sizes
    }
    return {
        "json_orjson": (
            f"`ORJSONResponse` answered {r('orjson_response', large)} the requests "
            f"per second of the typed return at {size_label(large)}, and "
            f"{r('orjson_response', small)} at {size_label(small)}."
        ),
        "json_fastest": (
            "Most requests per second: "
            + "; ".join(
                f"at {size_label(size)}, {name[fastest[size]]} "
                f"({r(fastest[size], size)} the typed return)"
                for size in sizes
            )
            + "."
        ),
        "json_model_instance": (
            "Returning a ready `Catalog` instead of dicts to validate: "
            f"{r('typed_model', large)} the typed return's requests per second at "
            f"{size_label(large)}, {r('typed_model', small)} at {size_label(small)}."
        ),
        "json_untyped": (
            f"The untyped dict: {r('untyped', large)} the typed return at "
            f"{size_label(large)}, {r('untyped', small)} at {size_label(small)}; "
            f"`ORJSONResponse` as the default, untyped: {r('orjson_default_untyped', large)} "
            f"at {size_label(large)}."
        ),
        "json_sync": (
            f"The same typed route written with `def`: {r('typed_sync', small)} the "
            f"`async def` one's requests per second at {size_label(small)}, "
            f"{r('typed_sync', large)} at {size_label(large)}."
        ),
    }


def streaming_table(results: Results) -> str:
    section = results["streaming"]
    runs = section["downloads"]
    ttfb = group(runs, ("variant",), lambda r: r["ttfb_ms"])
    total = group(runs, ("variant",), lambda r: r["total_ms"])
    vs = ratios(runs, ("variant",), "total_ms", section["baseline"])
    chunks = section["chunks"]
    rows = [
        [
            label,
            f"{chunks['lines'] if key.endswith('lines') else chunks['batches']:,}",
            spread(ttfb[(key,)]),
            spread(total[(key,)]),
            spread(vs[(key,)], times),
        ]
        for key, label in labels(section).items()
    ]
    head = ["Generator", "Chunks", "First byte ms", "Total ms", "Total vs async lines"]
    return table(head, rows)


def streaming_findings(results: Results) -> dict[str, str]:
    section = results["streaming"]
    runs = section["downloads"]
    total = group(runs, ("variant",), lambda r: r["total_ms"])
    vs = ratios(runs, ("variant",), "total_ms", section["baseline"])
    mib = section["body_bytes"] / 2**20
    return {
        "stream_lines": (
            f"For the same {mib:g} MiB in {section['chunks']['lines']:,} one-line "
            f"chunks, the sync generator took {num(total[('sync_lines',)].median)} ms "
            f"and the async one {num(total[('async_lines',)].median)} ms "
            f"({spread(vs[('sync_lines',)], times)} as long)."
        ),
        "stream_batches": (
            f"In {section['chunks']['batches']} chunks of 64 KiB, the sync generator "
            f"took {num(total[('sync_batches',)].median)} ms and the async one "
            f"{num(total[('async_batches',)].median)} ms."
        ),
    }


def threadpool_spreads(results: Results) -> dict[tuple, Spread]:
    rows = results["streaming"]["threadpool"]
    return group(rows, ("open_streams", "streams", "ping"), lambda r: r["median_ms"])


def threadpool_table(results: Results) -> str:
    spreads = threadpool_spreads(results)
    columns = [
        ("sync", "sync"),
        ("async", "sync"),
        ("sync", "async"),
        ("async", "async"),
    ]
    head = ["Slow streams open"] + [
        f"`{'def' if ping == 'sync' else 'async def'}` route, {streams} streams"
        for streams, ping in columns
    ]
    rows = [
        [str(level)] + [spread(spreads[(level, s, p)]) for s, p in columns]
        for level in results["streaming"]["levels"]
    ]
    return table(head, rows)


def threadpool_findings(results: Results) -> dict[str, str]:
    spreads = threadpool_spreads(results)
    levels = results["streaming"]["levels"]
    most = levels[-1]

    def ms(level: int, streams: str, ping: str) -> str:
        return f"{num(spreads[(level, streams, ping)].median)} ms"

    return {
        "threadpool": (
            "One request to a `def` route, by slow sync streams open: "
            + ", ".join(f"{level} → {ms(level, 'sync', 'sync')}" for level in levels)
            + f". With {most} slow async streams open instead: "
            f"{ms(most, 'async', 'sync')}. An `async def` route with {most} slow "
            f"sync streams open: {ms(most, 'sync', 'async')}."
        ),
    }


def files_spreads(results: Results) -> dict[str, dict[tuple, Spread]]:
    runs = results["files"]["runs"]
    keys = ("size", "variant")
    with_rss = [r for r in runs if "peak_rss_mib" in r]
    return {
        "growth": group(
            with_rss, keys, lambda r: r["peak_rss_mib"] - r["idle_rss_mib"]
        ),
        "ttfb": group(runs, keys, lambda r: r["ttfb_ms"]),
        "rate": group(runs, keys, lambda r: r["mb_per_s"]),
    }


def files_table(results: Results) -> str:
    section = results["files"]
    s = files_spreads(results)
    rows = []
    for size in section["sizes"]:
        for key, label in labels(section).items():
            k = (size["label"], key)
            if k not in s["ttfb"]:
                continue
            growth = spread(s["growth"][k]) if k in s["growth"] else "not measured"
            rows.append(
                [
                    size["label"],
                    label,
                    growth,
                    spread(s["ttfb"][k]),
                    spread(s["rate"][k]),
                ]
            )
    head = ["File", "Sent by", "Peak memory growth MiB", "First byte ms", "MB/s"]
    return table(head, rows)


def files_findings(results: Results) -> dict[str, str]:
    section = results["files"]
    s = files_spreads(results)
    big = section["sizes"][-1]["label"]
    found = {
        "files_memory": (
            f"At {big}, reading the file into memory raised the server's peak "
            f"memory by {num(s['growth'][(big, 'in_memory')].median)} MiB; "
            f"`FileResponse` by {num(s['growth'][(big, 'file_response')].median)} MiB."
        ),
        "files_ttfb": (
            f"First byte of the {big} file: "
            f"{num(s['ttfb'][(big, 'in_memory')].median)} ms read into memory, "
            f"{num(s['ttfb'][(big, 'file_response')].median)} ms with `FileResponse`."
        ),
        "files_rate": (
            f"Whole {big} download: {num(s['rate'][(big, 'file_response')].median)} "
            f"MB/s with `FileResponse`, {num(s['rate'][(big, 'in_memory')].median)} "
            "MB/s read into memory"
        ),
    }
    if (big, "nginx") in s["rate"]:
        ratio = (
            s["rate"][(big, "nginx")].median / s["rate"][(big, "file_response")].median
        )
        found["files_rate"] += (
            f", {num(s['rate'][(big, 'nginx')].median)} MB/s from nginx "
            f"({times(ratio)} `FileResponse`)."
        )
    else:
        found["files_rate"] += "; nginx was not measured."
    return found


def fragments(results: Results) -> dict[str, str]:
    """File name under docs/performance/ -> its text."""
    out = {"machine.md.txt": machine(results)}
    for size in results["json"]["body_bytes"]:
        out[f"json_{size}.md.txt"] = json_table(results, size)
    out["streaming.md.txt"] = streaming_table(results)
    out["threadpool.md.txt"] = threadpool_table(results)
    out["files.md.txt"] = files_table(results)
    findings = {
        **json_findings(results),
        **streaming_findings(results),
        **threadpool_findings(results),
        **files_findings(results),
    }
    for name, sentence in findings.items():
        out[f"finding_{name}.md.txt"] = sentence + "\n"
    return out
