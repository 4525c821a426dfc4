"""The SVG figures docs/performance.md shows, drawn from results.json.

Text is drawn as paths (no fonts needed to view them), and ids and metadata
are fixed, so the same results always give the same files.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib import ticker

from tools.bench import report
from tools.bench.report import (
    DASH,
    TIMES,
    Results,
    files_spreads,
    group,
    json_ratio,
    size_label,
    threadpool_spreads,
)

matplotlib.rcParams.update(
    {
        "svg.fonttype": "path",
        "svg.hashsalt": "fastapi-responses-guide",
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)
RECOMMENDED = "#00897b"  # teal, the site's primary colour: the guide's choice
OTHER = "#9e9e9e"
NGINX = "#5c6bc0"


def labels(section: dict) -> dict[str, str]:
    """The variants' labels without Markdown's backticks."""
    return {k: v.replace("`", "") for k, v in report.labels(section).items()}


def save(fig: plt.Figure, path: Path) -> None:
    fig.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)


def plain_log(axis, suffix: str = "", subs: tuple[float, ...] = (1, 2, 5)) -> None:
    """Log scale with ticks at 1, 2, 5 times a power of ten, written plainly."""
    axis.set_major_locator(ticker.LogLocator(base=10, subs=subs))
    axis.set_major_formatter(ticker.FuncFormatter(lambda x, _: f"{x:,g}{suffix}"))
    axis.set_minor_formatter(ticker.NullFormatter())


def errors(spreads: list) -> list[list[float]]:
    return [[s.median - s.low for s in spreads], [s.high - s.median for s in spreads]]


def json_figure(results: Results, path: Path) -> None:
    section = results["json"]
    name = labels(section)
    sizes = list(section["body_bytes"])
    fig, axes = plt.subplots(1, len(sizes), figsize=(10, 4.2), sharey=True)
    for ax, size in zip(axes, sizes, strict=True):
        spreads = [json_ratio(results, key, size) for key in name]
        colours = [RECOMMENDED if key == section["baseline"] else OTHER for key in name]
        y = range(len(name))
        ax.barh(y, [s.median for s in spreads], xerr=errors(spreads), color=colours)
        ax.axvline(1, color="black", linewidth=0.8)
        ax.set_title(f"{size_label(size)} of JSON")
        ax.set_xlabel("requests/s ÷ return type's (log scale)")
        ax.set_xscale("log")
        wide = max(s.high for s in spreads) / min(s.low for s in spreads) > 30
        plain_log(ax.xaxis, TIMES, (1,) if wide else (1, 2, 5))
        for i, s in enumerate(spreads):
            ax.annotate(
                f"{s.median:.2f}{TIMES}",
                (s.high, i),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        ax.margins(x=0.25)
    axes[0].set_yticks(range(len(name)), list(name.values()))
    axes[0].invert_yaxis()
    fig.suptitle(
        f"JSON: requests per second relative to a typed return (median, min{DASH}max)"
    )
    save(fig, path)


def streaming_figure(results: Results, path: Path) -> None:
    section = results["streaming"]
    name = labels(section)
    total = group(section["downloads"], ("variant",), lambda r: r["total_ms"])
    spreads = [total[(key,)] for key in name]
    fig, ax = plt.subplots(figsize=(8, 2.8))
    colours = [RECOMMENDED if "async" in key else OTHER for key in name]
    ax.barh(
        range(len(name)),
        [s.median for s in spreads],
        xerr=errors(spreads),
        color=colours,
    )
    ax.set_yticks(range(len(name)), list(name.values()))
    ax.invert_yaxis()
    ax.set_xscale("log")
    plain_log(ax.xaxis)
    ax.set_xlabel("ms to receive the whole body (log scale)")
    for i, s in enumerate(spreads):
        ax.annotate(
            f"{s.median:,.0f} ms" if s.median >= 10 else f"{s.median:.1f} ms",
            (s.high, i),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.margins(x=0.2)
    mib = section["body_bytes"] / 2**20
    ax.set_title(f"Streaming the same {mib:g} MiB (median, min{DASH}max)")
    save(fig, path)


def threadpool_figure(results: Results, path: Path) -> None:
    levels = results["streaming"]["levels"]
    spreads = threadpool_spreads(results)
    fig, ax = plt.subplots(figsize=(8, 4.4))
    lines = [
        ("sync", "file", "async def + FileResponse", "#6a1b9a", "D-"),
        ("sync", "sync", "def route", "#d84315", "o-"),
        ("sync", "dependency", "async def + def dependency", "#ffb300", "^--"),
        ("sync", "async", "async def, small JSON", RECOMMENDED, "s-"),
        ("async", "sync", "def route, async streams instead", "#546e7a", "v--"),
    ]
    for streams, ping, label, colour, style in lines:
        if (levels[0], streams, ping) not in spreads:
            continue
        s = [spreads[(level, streams, ping)] for level in levels]
        ax.errorbar(
            levels, [x.median for x in s], yerr=errors(s), fmt=style,
            color=colour, label=label, capsize=3, markersize=4,
        )  # fmt: skip
    ax.axvline(40, color="black", linewidth=0.8, linestyle=":")
    ax.annotate(
        "40 worker threads",
        (40, 1),
        xycoords=("data", "axes fraction"),
        xytext=(4, -12),
        textcoords="offset points",
        fontsize=8,
    )
    ax.set_yscale("log")
    plain_log(ax.yaxis)
    ax.set_xticks(levels)
    ax.set_xlabel("slow streams held open")
    ax.set_ylabel("ms for one request (log scale)")
    ax.set_title("Small routes' answer times while slow streams are open")
    ax.legend(
        fontsize=8, frameon=False, ncols=2, loc="upper center",
        bbox_to_anchor=(0.5, -0.15),
    )  # fmt: skip
    save(fig, path)


def files_figure(results: Results, path: Path) -> None:
    section = results["files"]
    name = labels(section)
    s = files_spreads(results)
    sizes = [size["label"] for size in section["sizes"]]
    colours = {
        "file_response": "#80cbc4",
        "file_response_standard": "#4db6ac",
        "file_response_granian": "#26a69a",
        "file_response_hypercorn": "#b2dfdb",
        "in_memory": OTHER,
        "x_accel": RECOMMENDED,
        "nginx": NGINX,
    }
    panels = [  # metric, title, log scale
        ("growth", "peak memory growth, MiB (log scale)", True),
        ("ttfb", "ms to first byte (log scale)", True),
        ("rate", "MB/s for the whole file", False),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.2))
    width = 0.8 / len(name)
    for ax, (metric, title, log) in zip(axes, panels, strict=True):
        for i, (key, label) in enumerate(name.items()):
            points = [(x, s[metric].get((size, key))) for x, size in enumerate(sizes)]
            points = [(x, v) for x, v in points if v is not None]
            if not points:
                continue
            xs = [x + (i - (len(name) - 1) / 2) * width for x, _ in points]
            spreads = [v for _, v in points]
            ax.bar(
                xs, [v.median for v in spreads], width, yerr=errors(spreads),
                color=colours[key], label=label, capsize=2,
            )  # fmt: skip
        ax.set_xticks(range(len(sizes)), sizes)
        if log:
            ax.set_yscale("log")
            plain_log(ax.yaxis, subs=(1,))
        else:
            ax.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
        ax.set_title(title, fontsize=10)
    handles, names = axes[-1].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncols=4, frameon=False)
    fig.suptitle(f"Sending one file from disk (median, min{DASH}max)")
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    save(fig, path)


FIGURES = {
    "json.svg": json_figure,
    "streaming.svg": streaming_figure,
    "threadpool.svg": threadpool_figure,
    "files.svg": files_figure,
}


assert tuple(FIGURES) == report.FIGURES


def draw_all(results: Results, out: Path) -> list[Path]:
    written = []
    for file_name, draw in FIGURES.items():
        draw(results, out / file_name)
        written.append(out / file_name)
    return written
