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


def across(s: Spread) -> str:
    """A ratio's range over the rounds, as in "0.86-1.16x across rounds"."""
    return f"{s.low:.2f}{DASH}{s.high:.2f}{TIMES} across rounds"


def ordered(s: Spread, margin: float = 1.0) -> int:
    """+1 if the ratio was above `margin` in every round, -1 if below 1/`margin`, else 0.

    A ratio compares two variants measured side by side in the same round. Only
    when its whole range stays on one side of 1 is one variant ahead of the
    other; a range that spans 1 is noise, whatever its median. Where each round
    rests on few requests, the same order in every round happens by chance
    too often, and a margin asks more: the low end above 1.2x, say.
    """
    return 1 if s.low > margin else -1 if s.high < 1 / margin else 0


def compare(
    s: Spread, this: str, that: str, more: str, less: str, margin: float = 1.0
) -> str:
    """`this` against `that` in words, stating an order only where the data does."""
    order = ordered(s, margin)
    if order > 0:
        return f"{this} {more} than {that} in every round ({across(s)})"
    if order < 0:
        return f"{this} {less} than {that} in every round ({across(s)})"
    if ordered(s):  # one order in every round, but inside the margin
        return (
            f"{this} and {that} were within noise of each other ({across(s)}: "
            f"the same order in every round, but not by the {margin:.1f}{TIMES} "
            "this page asks of these rows)"
        )
    return f"{this} and {that} were within noise of each other ({across(s)})"


def quoted(label: str) -> str:
    """A table row's label inside a sentence, where its commas would confuse."""
    return f"\u201c{label}\u201d"


def sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


NUMBER_WORDS = dict(
    enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
        ]
    )
)


def words(n: int) -> str:
    """Small counts in words, as the page's prose has them."""
    return NUMBER_WORDS.get(n, str(n))


def join(words: list[str]) -> str:
    if len(words) < 3:
        return " and ".join(words)
    return ", ".join(words[:-1]) + ", and " + words[-1]


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
    "httptools": "httptools (uvicorn[standard])",
    "uvloop": "uvloop (uvicorn[standard])",
    "granian": "Granian",
    "hypercorn": "Hypercorn",
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
        *(
            [["Load average at end", ", ".join(str(x) for x in m[key])]]
            if (key := "load_average_at_end") in m
            else []
        ),
        ["Linux", m["kernel"]],
        *([NAMES.get(name, name), str(v[name])] for name in v),
        ["Repeats", str(s["repeats"])],
        ["Whole run", f"{results['duration_s'] / 60:.1f} minutes"],
    ]
    return table(["What", "Value"], rows)


P99_MIN_REQUESTS = 100  # fewer timed requests than this, and a p99 means nothing


def json_table(results: Results, size: str) -> str:
    """Requests/s, ratio, requests timed per run, median and p99 latency.

    The p99 is left out ("-") for a route with fewer than P99_MIN_REQUESTS
    timed requests in any round: of 20 requests, the 99th percentile is just
    the slowest one.
    """
    section = results["json"]
    runs = [r for r in section["runs"] if r["size"] == size]
    keys = ("variant",)
    rps = group(runs, keys, lambda r: r["rps"])
    vs = ratios(runs, keys, "rps", section["baseline"])
    count = group(runs, keys, lambda r: r["requests"])
    p50 = group(runs, keys, lambda r: r["p50_ms"])
    p99 = group(runs, keys, lambda r: r["p99_ms"])

    def requests(key: str) -> str:
        c = count[(key,)]
        if c.low == c.high:
            return f"{c.low:,.0f}"
        return f"{c.low:,.0f}{DASH}{c.high:,.0f}"

    def tail(key: str) -> str:
        if count[(key,)].low < P99_MIN_REQUESTS:
            return DASH
        return num(p99[(key,)].median)

    rows = [
        [
            label,
            spread(rps[(key,)]),
            spread(vs[(key,)], times),
            requests(key),
            num(p50[(key,)].median),
            tail(key),
        ]
        for key, label in labels(section).items()
    ]
    head = [
        "Route",
        "Requests/s",
        "vs return type",
        "Requests timed",
        "Median ms",
        "p99 ms",
    ]
    return table(head, rows)


# A counted size rests on few requests per round (settings.counted_requests,
# several in flight): an order between two of its routes counts only when the
# lower end of their ratio clears this margin (review finding: 1.07-2.76x "in
# every round" that did not reproduce on a quiet machine).
JSON_MARGINS = {"1mb": 1.2}


def json_margin(size: str) -> float:
    return JSON_MARGINS.get(size, 1.0)


def json_ratio(results: Results, key: str, size: str) -> Spread:
    section = results["json"]
    runs = [r for r in section["runs"] if r["size"] == size]
    return ratios(runs, ("variant",), "rps", section["baseline"])[(key,)]


def json_leaders(results: Results, size: str) -> list[str]:
    """The route with the highest median ratio, and every route not behind it.

    A route is behind the leader only if it answered fewer requests per second
    than the leader in every round, side by side. This compares each route
    with the leader only: two routes it keeps may still be ordered between
    themselves (see json_pairs).
    """
    section = results["json"]
    runs = [r for r in section["runs"] if r["size"] == size]
    keys = list(labels(section))
    best = max(keys, key=lambda k: json_ratio(results, k, size).median)
    versus = ratios(runs, ("variant",), "rps", best)
    return [
        k for k in keys if k == best or ordered(versus[(k,)], json_margin(size)) >= 0
    ]


def json_pairs(
    results: Results, size: str, margin: float | None = None
) -> list[tuple[str, str, Spread]]:
    """Every pair of routes where one answered more requests per second in every round.

    (ahead, behind, the spread of ahead's rate over behind's, same round); by
    the size's margin (json_margin) unless `margin` is given.
    """
    margin = json_margin(size) if margin is None else margin
    section = results["json"]
    runs = [r for r in section["runs"] if r["size"] == size]
    keys = list(labels(section))
    found = []
    for i, a in enumerate(keys):
        versus = ratios(runs, ("variant",), "rps", a)
        for b in keys[i + 1 :]:
            s = versus[(b,)]
            order = ordered(s, margin)
            if order > 0:
                found.append((b, a, s))
            elif order < 0:
                inverse = Spread(1 / s.median, 1 / s.high, 1 / s.low)
                found.append((a, b, inverse))
    return found


def chance_ordered(pairs: int, rounds: int) -> float:
    """How many of `pairs` equally fast pairs keep one order in all `rounds`, on average.

    Each round is a coin toss for two equal variants: the same order in all
    rounds has odds 2 / 2**rounds (either one ahead every time).
    """
    return pairs * 2 / 2**rounds


def json_findings(results: Results) -> dict[str, str]:
    section = results["json"]
    name = labels(section)
    sizes = list(section["body_bytes"])
    small, large = sizes[0], sizes[-1]

    def r(key: str, size: str) -> str:
        return spread(json_ratio(results, key, size), times)

    fastest = {size: json_leaders(results, size) for size in sizes}

    def leaders(size: str) -> str:
        top = fastest[size]
        if len(top) == 1:
            (key,) = top
            return (
                f"At {size_label(size)}, {quoted(name[key])} answered the most "
                "requests per second, ahead of every other route in every round "
                f"({r(key, size)} the typed return)."
            )
        best = max(top, key=lambda k: json_ratio(results, k, size).median)
        others = [k for k in top if k != best]
        pairs = json_pairs(results, size, margin=1.0)
        by_margin = len(json_pairs(results, size))
        count = len(name) * (len(name) - 1) // 2
        rounds = len({run["repeat"] for run in section["runs"]})
        behind_best = len(name) - len(top)
        return (
            f"At {size_label(size)}, no route was ahead of all the others in every "
            f"round. {quoted(name[best])} had the highest median; "
            + (
                f"none of the other {words(len(others))} was behind it in every round"
                if not behind_best
                else "every other route but "
                f"{join([quoted(name[k]) for k in others])} was behind it in "
                "every round"
            )
            + f". Between any two routes: {len(pairs)} of the {count} pairs "
            f"at {size_label(size)} came out in the same order in all "
            f"{words(rounds)} rounds, where about {chance_ordered(count, rounds):.0f} "
            f"would by chance alone if all {words(len(name))} were equally fast"
            + (
                f"; {by_margin} of them by at least {json_margin(size):.1f}{TIMES} "
                "in every round."
                if json_margin(size) > 1
                else "."
            )
        )

    def vs_typed(key: str, size: str) -> str:
        return compare(
            json_ratio(results, key, size),
            f"at {size_label(size)}, {quoted(name[key])}",
            "the typed return",
            "answered more requests per second",
            "answered fewer requests per second",
            json_margin(size),
        )

    def against_typed(size: str) -> str:
        base = section["baseline"]
        ahead, behind = [], []
        for a, b, ratio in json_pairs(results, size):
            if b == base:
                ahead.append(f"{quoted(name[a])} ({across(ratio)})")
            elif a == base:
                behind.append(
                    f"{quoted(name[b])} ({ratio.low:.2f}{DASH}{ratio.high:.2f}"
                    f"{TIMES} its rate across rounds)"
                )
        text = f"At {size_label(size)}, "
        text += (
            f"{join(ahead)} answered more requests per second than the typed "
            "return in every round"
            if ahead
            else "no route answered more requests per second than the typed "
            "return in every round"
        )
        if behind:
            text += (
                f"; the typed return answered more than {join(behind)} in every round"
            )
        return text + "."

    return {
        "json_small_vs_typed": against_typed(small),
        "json_orjson": (
            f"`ORJSONResponse` answered {r('orjson_response', large)} the requests "
            f"per second of the typed return at {size_label(large)}, and "
            f"{r('orjson_response', small)} at {size_label(small)}."
        ),
        "json_fastest": " ".join(leaders(size) for size in sizes),
        "json_orjson_default_typed": sentence(
            "; ".join(vs_typed("orjson_default_typed", size) for size in sizes)
        ),
        "json_model_instance": (
            "Returning a ready `Catalog` instead of dicts to validate, "
            f"{quoted(name['typed_model'])}, answered "
            f"{r('typed_model', large)} the typed return's requests per second at "
            f"{size_label(large)} and {r('typed_model', small)} at "
            f"{size_label(small)}: "
            + "; ".join(
                compare(
                    json_ratio(results, "typed_model", size),
                    f"at {size_label(size)}, it",
                    "the typed return",
                    "answered more requests per second",
                    "answered fewer requests per second",
                    json_margin(size),
                )
                for size in (large, small)
            )
            + "."
        ),
        "json_untyped": sentence(
            "; ".join(
                vs_typed(key, size)
                for key in ("untyped", "orjson_default_untyped")
                for size in sizes
            )
        ),
        "json_sync": sentence("; ".join(vs_typed("typed_sync", size) for size in sizes))
        + " Per response, one over the median rate, the `def` route took "
        + join(
            [
                f"{num(sync_cost(results, size))} ms more at {size_label(size)}"
                for size in sizes
            ]
        )
        + ".",
    }


def sync_cost(results: Results, size: str) -> float:
    """Milliseconds more per response for the `def` route than the typed
    `async def` one: one over each one's median requests per second."""
    rps = group(
        [r for r in results["json"]["runs"] if r["size"] == size],
        ("variant",),
        lambda r: r["rps"],
    )
    return 1000 / rps[("typed_sync",)].median - 1000 / rps[("typed",)].median


def against_target(s: Spread, target: float) -> str:
    """A ratio's spread against a target ratio, in words."""
    goal = f"{target:.1f}{TIMES}"
    if s.low >= target:
        return f"at least {goal} in every round"
    if s.median >= target:
        return f"at least {goal} by its median, but not in every round"
    if s.high >= target:
        return f"under {goal} by its median, above it in one round or more"
    return f"under {goal} in every round"


JSON_TARGET = 0.5  # issue 12: the recommended correct path reaches 0.5x the fastest
# The guide's recommended correct path for a large payload: a typed route that
# returns models validated once, not dicts validated on every request.
RECOMMENDED_JSON = "typed_model"


def json_fastest(results: Results, size: str) -> str:
    """The variant with the highest median requests per second."""
    return max(
        labels(results["json"]), key=lambda k: json_ratio(results, k, size).median
    )


def json_vs(results: Results, size: str, key: str) -> dict[tuple, Spread]:
    runs = [r for r in results["json"]["runs"] if r["size"] == size]
    return ratios(runs, ("variant",), "rps", key)


def json_costs(results: Results) -> dict[str, float]:
    """Milliseconds per 1 MB response: the server's (1/rate) and the writers'.

    The rate counts responses the one server process finished per second, with
    several requests in flight, so 1/rate is its time per response, waiting
    excluded. The writers' times are medians from the in-process timing.
    """
    section = results["json"]
    size = list(section["body_bytes"])[-1]
    best = json_fastest(results, size)
    rps = group(
        [r for r in section["runs"] if r["size"] == size],
        ("variant",),
        lambda r: r["rps"],
    )
    ms = group(section["writers"], ("writer",), lambda r: r["ms"])
    recommended = 1000 / rps[(RECOMMENDED_JSON,)].median
    fastest = 1000 / rps[(best,)].median
    return {
        "recommended": recommended,
        "fastest": fastest,
        "gap": recommended - fastest,
        "pydantic": ms[("pydantic",)].median,
        "orjson": ms[("orjson",)].median,
        "writers": ms[("pydantic",)].median - ms[("orjson",)].median,
    }


def json_cost(results: Results) -> str:
    """The price of the recommended path per response, and the writer's part."""
    c = json_costs(results)
    size = size_label(list(results["json"]["body_bytes"])[-1])
    share = c["writers"] / c["gap"]
    part = (
        "as much as the whole gap, or more: the writer accounts for all of it"
        if share >= 1
        else f"{share:.0%} of the gap"
    )
    return (
        f"Per {size} response, the server spent about {num(c['recommended'])} ms "
        f"on the typed route returning models and {num(c['fastest'])} ms on the "
        "fastest path (one over the median rate): the recommended path costs "
        f"about {num(c['gap'])} ms more per response. Of that, Pydantic's writer "
        f"alone takes {num(c['pydantic'])} ms against orjson's {num(c['orjson'])} "
        f"ms, {num(c['writers'])} ms more, {part}."
    )


def json_target_findings(results: Results) -> dict[str, str]:
    section = results["json"]
    name = labels(section)
    size = list(section["body_bytes"])[-1]
    best = json_fastest(results, size)
    vs = json_vs(results, size, best)
    rps = group(
        [r for r in section["runs"] if r["size"] == size],
        ("variant",),
        lambda r: r["rps"],
    )
    target = vs[(RECOMMENDED_JSON,)]
    text = (
        f"At {size_label(size)}, the fastest path measured was {quoted(name[best])} "
        f"({num(rps[(best,)].median)} requests/s). A typed route returning models "
        f"validated once reached {spread(target, times)} of it on uvicorn ("
        + against_target(target, JSON_TARGET)
        + ")"
    )
    if ("typed_model_standard",) in vs:
        text += (
            f", and {spread(vs[('typed_model_standard',)], times)} on uvicorn[standard]"
        )
    p50 = group(
        [r for r in section["runs"] if r["size"] == size],
        ("variant",),
        lambda r: r["p50_ms"],
    )
    in_flight = results["settings"]["wrk_connections"]
    text += (
        f". With {words(in_flight)} requests in flight, each waited "
        f"{num(p50[(RECOMMENDED_JSON,)].median)} ms against "
        f"{num(p50[(best,)].median)} ms, queueing included (medians over the "
        "rounds of each run's median)"
    )
    text += (
        f". The typed route returning dicts, validated on every request, reached "
        f"{spread(vs[('typed',)], times)}"
    )
    if ("typed_standard",) in vs:
        text += f" ({spread(vs[('typed_standard',)], times)} on uvicorn[standard])"
    if ("model_dump_json",) in vs:
        text += (
            "; Pydantic's writer with no FastAPI check in the way, "
            f"{quoted(name['model_dump_json'])}, "
            f"{spread(vs[('model_dump_json',)], times)}"
        )
    text += "."
    base = json_vs(results, size, RECOMMENDED_JSON)
    dumps = sentence(
        "; ".join(
            compare(
                base[(key,)],
                f"at {size_label(size)}, {quoted(name[key])}",
                "the typed route returning models",
                "answered more requests per second",
                "answered fewer requests per second",
                json_margin(size),
            )
            for key in ("model_dump_json", "type_adapter", "typed_model_standard")
            if (key,) in base
        )
    )
    found = {"json_target": text, "json_dump_paths": dumps}
    standard = [
        compare(
            json_vs(results, each, RECOMMENDED_JSON)[("typed_model_standard",)],
            f"at {size_label(each)}, uvicorn[standard]",
            "uvicorn with h11",
            "answered more requests per second",
            "answered fewer requests per second",
            json_margin(each),
        )
        for each in sorted({r["size"] for r in section["runs"]})
        if ("typed_model_standard",) in json_vs(results, each, RECOMMENDED_JSON)
    ]
    if standard:
        found["json_standard"] = sentence("; ".join(standard))
    if section.get("writers"):
        ms = group(section["writers"], ("writer",), lambda r: r["ms"])
        slower = ratios(
            [{**r, "variant": r["writer"]} for r in section["writers"]],
            ("variant",),
            "ms",
            "orjson",
        )[("pydantic",)]
        found["json_writers"] = (
            f"Writing the {size_label(size)} catalog as JSON in one process, "
            f"with no server: Pydantic took {spread(ms[('pydantic',)])} ms from "
            f"the validated models, orjson {spread(ms[('orjson',)])} ms from the "
            f"dicts, {spread(slower, times)} as long for Pydantic."
        )
        found["json_cost"] = json_cost(results)
    return found


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
            f"{num(total[('async_batches',)].median)} ms; "
            + compare(
                ratios(runs, ("variant",), "total_ms", "async_batches")[
                    ("sync_batches",)
                ],
                "the sync generator",
                "the async one",
                "took longer",
                "took less time",
            )
            + "."
        ),
    }


def threadpool_spreads(results: Results) -> dict[tuple, Spread]:
    rows = results["streaming"]["threadpool"]
    return group(rows, ("open_streams", "streams", "ping"), lambda r: r["median_ms"])


PROBE_LABELS = {
    "async": "`async def`, small JSON",
    "file": "`async def`, `FileResponse`",
    "dependency": "`async def`, `def` dependency",
    "sync": "`def` route",
}
PROBE_WORDS = {
    "async": "an `async def` route returning a small dict",
    "file": "an `async def` route returning a {file} `FileResponse`",
    "dependency": "an `async def` route with a `def` dependency",
    "sync": "a `def` route",
}


def probe_words(results: Results, probe: str) -> str:
    size = results["streaming"].get("probe_file_bytes", 0)
    return PROBE_WORDS[probe].format(file=f"{size / 2**20:g} MiB")


def threadpool_table(results: Results) -> str:
    spreads = threadpool_spreads(results)
    probes = results["streaming"]["probes"]
    columns = [("sync", p, PROBE_LABELS[p]) for p in probes]
    columns.append(("async", "sync", "`def` route, async streams instead"))
    head = ["Slow sync streams open"] + [label for _, _, label in columns]
    rows = [
        [str(level)] + [spread(spreads[(level, s, p)]) for s, p, _ in columns]
        for level in results["streaming"]["levels"]
    ]
    return table(head, rows)


def waits(results: Results, probe: str) -> bool:
    """Did `probe` wait for a thread with the most slow sync streams open?

    Yes only if its range over the rounds there lies wholly above its range
    with no stream open, and its median is at least twice as long.
    """
    spreads = threadpool_spreads(results)
    most = results["streaming"]["levels"][-1]
    idle, busy = spreads[(0, "sync", probe)], spreads[(most, "sync", probe)]
    return busy.low > idle.high and busy.median >= 2 * idle.median


def threadpool_findings(results: Results) -> dict[str, str]:
    spreads = threadpool_spreads(results)
    levels = results["streaming"]["levels"]
    probes = results["streaming"]["probes"]
    most = levels[-1]

    def ms(level: int, streams: str, ping: str) -> str:
        return f"{num(spreads[(level, streams, ping)].median)} ms"

    def against(probe: str) -> str:
        return (
            f"{probe_words(results, probe)} took {ms(most, 'sync', probe)} "
            f"({ms(0, 'sync', probe)} with none open)"
        )

    def noise(probe: str) -> str:
        """Its lowest to highest over every level and round: what it does unwaited."""
        cells = [spreads[(level, "sync", probe)] for level in levels]
        low, high = min(c.low for c in cells), max(c.high for c in cells)
        return (
            f"{probe_words(results, probe)} took {ms(most, 'sync', probe)} "
            f"({ms(0, 'sync', probe)} with none open): over all levels and rounds "
            f"it took {num(low)} to {num(high)} ms, the noise of a machine shared "
            "with other work"
        )

    waited = [p for p in probes if waits(results, p)]
    did_not = [p for p in probes if p not in waited]
    parts = []
    if waited:
        parts.append(
            f"With {most} slow sync streams open, these waited for a worker "
            f"thread: {'; '.join(against(p) for p in waited)}."
        )
    if did_not:
        parts.append(
            f"These did not wait measurably: {'; '.join(noise(p) for p in did_not)}."
        )
    return {
        "threadpool": (
            "One request to a `def` route, by the number of slow streams open "
            "(next to sync streams / next to async streams): "
            + "; ".join(
                f"{level} → {ms(level, 'sync', 'sync')} / {ms(level, 'async', 'sync')}"
                for level in levels
            )
            + "."
        ),
        "threadpool_probes": " ".join(parts),
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


def files_vs_ceiling(results: Results) -> dict[tuple, Spread]:
    """Each download's MB/s over nginx sendfile's, same size and round."""
    section = results["files"]
    return ratios(
        section["runs"],
        ("size", "variant"),
        "mb_per_s",
        section.get("ceiling", "nginx"),
    )


def files_table(results: Results) -> str:
    section = results["files"]
    s = files_spreads(results)
    ceiling = files_vs_ceiling(results) if section["nginx"] else {}
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
                    spread(ceiling[k], times) if k in ceiling else DASH,
                ]
            )
    head = [
        "File",
        "Sent by",
        "Peak memory growth MiB",
        "First byte ms",
        "MB/s",
        "vs nginx sendfile",
    ]
    return table(head, rows)


FILE_TARGET = 0.9  # issue 12: the recommended setup reaches 0.9x the ceiling
RECOMMENDED_FILES = "x_accel"  # what the guide recommends for files the app guards


def files_findings(results: Results) -> dict[str, str]:
    section = results["files"]
    name = labels(section)
    s = files_spreads(results)
    in_memory = [
        size for size in section["sizes"] if (size["label"], "in_memory") in s["rate"]
    ]
    big = in_memory[-1]["label"]  # the largest size read into memory
    largest = section["sizes"][-1]["label"]
    factors = {
        size["label"]: s["growth"][(size["label"], "in_memory")].median
        / (size["bytes"] / 2**20)
        for size in in_memory
    }
    found = {
        "files_memory": (
            f"At {big}, reading the file into memory raised the server's peak "
            f"memory by {num(s['growth'][(big, 'in_memory')].median)} MiB; "
            f"`FileResponse` by {num(s['growth'][(big, 'file_response')].median)} MiB. "
            "Reading into memory raised the peak by "
            + join(
                [f"{f:.1f} times the file's size at {k}" for k, f in factors.items()]
            )
            + " (medians over the rounds)."
        ),
        "files_ttfb": (
            f"First byte of the {big} file: "
            f"{num(s['ttfb'][(big, 'in_memory')].median)} ms read into memory, "
            f"{num(s['ttfb'][(big, 'file_response')].median)} ms with `FileResponse`."
        ),
        "files_rate": (
            f"Whole {largest} download: "
            f"{num(s['rate'][(largest, 'file_response')].median)} MB/s with "
            "`FileResponse` on uvicorn"
        ),
    }
    rate_vs = ratios(
        [r for r in section["runs"] if r["variant"] in ("file_response", "in_memory")],
        ("size", "variant"),
        "mb_per_s",
        "file_response",
    )
    found["files_rate_order"] = sentence(
        "; ".join(
            compare(
                rate_vs[(size["label"], "in_memory")],
                f"at {size['label']}, reading into memory",
                "`FileResponse`",
                "sent the file faster",
                "sent the file more slowly",
            )
            for size in in_memory
        )
    )
    servers = [k for k in name if k.startswith("file_response_")]
    by_server = ratios(
        [r for r in section["runs"] if r["variant"].startswith("file_response")],
        ("size", "variant"),
        "mb_per_s",
        "file_response",
    )
    found["files_servers"] = " ".join(
        sentence(
            f"At {size['label']}, against `FileResponse` on uvicorn with h11: "
            + "; ".join(
                compare(
                    by_server[(size["label"], key)],
                    quoted(name[key]),
                    "it",
                    "sent the file faster",
                    "sent the file more slowly",
                )
                for key in servers
            )
        )
        for size in section["sizes"]
    )
    if not section["nginx"]:
        found["files_rate"] += "; nginx was not measured."
        found["files_ceiling"] = "nginx was not measured."
        return found
    ceiling = files_vs_ceiling(results)
    found["files_rate"] += (
        f", {num(s['rate'][(largest, 'nginx')].median)} MB/s from nginx: "
        + compare(
            by_ratio_inverse(ceiling[(largest, "file_response")]),
            "nginx",
            "`FileResponse`",
            "sent the file faster",
            "sent the file more slowly",
        )
        + "."
    )
    verdicts = [
        f"at {size['label']}, {spread(ceiling[(size['label'], RECOMMENDED_FILES)], times)}, "
        + against_target(ceiling[(size["label"], RECOMMENDED_FILES)], FILE_TARGET)
        for size in section["sizes"]
    ]
    alone = s["rate"][(largest, "nginx")]
    rounds = len({r["repeat"] for r in section["runs"]})
    downloads = results["settings"]["file_downloads"]
    single = Spread.of(
        [
            rate
            for r in section["runs"]
            if (r["size"], r["variant"]) == (largest, "nginx")
            for rate in r["downloads_mb_per_s"]
        ]
    )
    found["files_ceiling"] = (
        "With the app authorising each download and nginx sending it "
        "(`X-Accel-Redirect`), the download ran at this share of the rate of nginx "
        f"sending the file alone: {'; '.join(verdicts)}. Each figure spans "
        f"{words(rounds)} rounds, and each "
        f"round keeps the median of {words(downloads)} downloads, yet downloads "
        f"still vary: nginx alone sent the {largest} file at {num(single.low)} to "
        f"{num(single.high)} MB/s in single downloads, and at {num(alone.low)} to "
        f"{num(alone.high)} MB/s by round, "
        f"{alone.low / alone.median:.2f} to {alone.high / alone.median:.2f} "
        "times its median"
        + (
            f", so this run cannot tell {FILE_TARGET - 0.05:.2f}{TIMES} from "
            f"{FILE_TARGET:.1f}{TIMES} at {largest}"
            if alone.high / alone.low > FILE_TARGET / (FILE_TARGET - 0.05)
            else ""
        )
        + ". "
        + " ".join(accel_time_lost(results, size["label"]) for size in missed(results))
    ).rstrip()
    found["files_ceiling_order"] = files_ceiling_order(results)
    by_accel = ratios(section["runs"], ("size", "variant"), "mb_per_s", "x_accel")
    found["files_accel_vs_apps"] = sentence(
        "; ".join(
            compare(
                by_ratio_inverse(by_accel[(size["label"], key)]),
                f"at {size['label']}, `X-Accel-Redirect`",
                quoted(name[key]),
                "sent the file faster",
                "sent the file more slowly",
            )
            for key in ("file_response_granian", "file_response")
            for size in section["sizes"]
            if (size["label"], key) in by_accel
        )
    )
    return found


def missed(results: Results) -> list[dict]:
    """The sizes at which X-Accel-Redirect stayed under the target in every round."""
    ceiling = files_vs_ceiling(results)
    return [
        size
        for size in results["files"]["sizes"]
        if ceiling[(size["label"], RECOMMENDED_FILES)].high < FILE_TARGET
    ]


def time_lost(results: Results, size: str, field: str) -> Spread:
    """X-Accel-Redirect's `field` (ms) minus nginx alone's, same size and round."""
    runs = results["files"]["runs"]
    nginx = {
        r["repeat"]: r[field]
        for r in runs
        if (r["size"], r["variant"]) == (size, "nginx")
    }
    return Spread.of(
        r[field] - nginx[r["repeat"]]
        for r in runs
        if (r["size"], r["variant"]) == (size, RECOMMENDED_FILES)
    )


def accel_time_lost(results: Results, size: str) -> str:
    """What the first byte shows of the time X-Accel-Redirect lost, and only that."""
    total = time_lost(results, size, "total_ms")
    first = time_lost(results, size, "ttfb_ms")
    text = (
        f"At {size}, the whole download took {num(total.median)} ms longer than "
        "from nginx alone, and its first byte, which waits for the app's answer, "
        f"came {num(first.median)} ms later (medians over the rounds of each "
        "round's difference)"
    )
    if total.median > 2 * first.median:
        return text + (
            ": the first byte accounts for less than half of the difference, and "
            "this run does not show where the rest went."
        )
    return text + ": the first byte accounts for most of the difference."


def files_ceiling_order(results: Results) -> str:
    """Each way of sending the file from the app against nginx alone, per size,
    stating an order only where every round agrees."""
    section = results["files"]
    name = labels(section)
    ceiling = files_vs_ceiling(results)
    apps = [key for key in name if key not in (RECOMMENDED_FILES, section["ceiling"])]
    parts = []
    for size in section["sizes"]:
        label = size["label"]
        keys = [k for k in apps if (label, k) in ceiling]
        slower = [k for k in keys if ordered(ceiling[(label, k)]) < 0]
        rest = [
            compare(
                ceiling[(label, k)],
                quoted(name[k]),
                "nginx",
                "sent the file faster",
                "sent the file more slowly",
            )
            for k in keys
            if k not in slower
        ]
        if len(slower) == len(keys):
            parts.append(
                f"at {label}, every way of sending the file from the app was slower "
                "than nginx in every round"
            )
        else:
            parts.append(
                f"at {label}, {join(rest)}, and every other way of sending the file "
                "from the app was slower than nginx in every round"
            )
    first = section["sizes"][0]
    t = group(
        [
            r
            for r in section["runs"]
            if (r["size"], r["variant"]) == (first["label"], "nginx")
        ],
        ("variant",),
        lambda r: r["total_ms"],
    )[("nginx",)]
    return sentence("; ".join(parts)) + (
        f" A {first['label']} download from nginx took {num(t.median)} ms "
        f"({num(t.low)} to {num(t.high)} by round), so one millisecond more or "
        f"less moves its rate by about {1 / t.median:.0%}."
    )


def by_ratio_inverse(s: Spread) -> Spread:
    """The ratio the other way round: b/a from a spread of a/b."""
    return Spread(1 / s.median, 1 / s.high, 1 / s.low)


def arrival_spreads(results: Results) -> dict[str, dict[tuple, Spread]]:
    section = results["arrival"]
    runs = section["runs"]
    keys = ("variant",)
    base = section["baseline"]
    return {
        "first": group(runs, keys, lambda r: r["first_ms"]),
        "gap": group(runs, keys, lambda r: r["gap_ms"]),
        "last": group(runs, keys, lambda r: r["last_ms"]),
        "first_vs": ratios(runs, keys, "first_ms", base),
        "gap_vs": ratios(runs, keys, "gap_ms", base),
    }


def arrival_table(results: Results) -> str:
    s = arrival_spreads(results)
    rows = [
        [
            label,
            spread(s["first"][(key,)]),
            spread(s["first_vs"][(key,)], times),
            spread(s["gap"][(key,)]),
            spread(s["gap_vs"][(key,)], times),
            spread(s["last"][(key,)]),
        ]
        for key, label in labels(results["arrival"]).items()
    ]
    head = [
        "Path",
        "First line ms",
        "vs direct",
        "Gap between lines ms",
        "vs direct",
        "Last line ms",
    ]
    return table(head, rows)


HELD = 0.2  # a gap under a fifth of the direct one's: the lines came together


def held(results: Results, key: str) -> bool:
    """Were the lines held back and passed on together, in every round?"""
    return arrival_spreads(results)["gap_vs"][(key,)].high < HELD


def arrival_findings(results: Results) -> dict[str, str]:
    section = results["arrival"]
    name = labels(section)
    s = arrival_spreads(results)
    others = [k for k in name if k != section["baseline"]]
    together = [k for k in others if held(results, k)]
    apart = [k for k in others if k not in together]
    direct = s["first"][(section["baseline"],)]
    pause = section["pause_s"] * 1e3
    parts = [
        (
            f"Directly from uvicorn, the first of {section['lines']} lines arrived "
            f"after {num(direct.median)} ms, and the app sent one every {num(pause)} ms."
        )
    ]
    if together:
        parts.append(
            "Held back and passed on together, in every round: "
            + "; ".join(
                f"{quoted(name[k])} (first line after "
                f"{num(s['first'][(k,)].median)} ms, {across(s['first_vs'][(k,)])} "
                "the direct time)"
                for k in together
            )
            + "."
        )
    if apart:
        parts.append(
            "Passed on line by line: "
            + "; ".join(
                f"{quoted(name[k])} (gap {across(s['gap_vs'][(k,)])} the direct "
                f"one, first line {across(s['first_vs'][(k,)])} the direct time)"
                for k in apart
            )
            + "."
        )
    return {"arrival": " ".join(parts)}


def fragments(results: Results) -> dict[str, str]:
    """File name under docs/performance/ -> its text."""
    out = {"machine.md.txt": machine(results)}
    for size in results["json"]["body_bytes"]:
        out[f"json_{size}.md.txt"] = json_table(results, size)
    out["streaming.md.txt"] = streaming_table(results)
    out["threadpool.md.txt"] = threadpool_table(results)
    out["files.md.txt"] = files_table(results)
    if "arrival" in results:
        out["arrival.md.txt"] = arrival_table(results)
    findings = {
        **json_findings(results),
        **json_target_findings(results),
        **(arrival_findings(results) if "arrival" in results else {}),
        **streaming_findings(results),
        **threadpool_findings(results),
        **files_findings(results),
    }
    for name, sentence in findings.items():
        out[f"finding_{name}.md.txt"] = sentence + "\n"
    return out
