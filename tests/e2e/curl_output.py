"""curl's output made stable for a page: the port, the date, a file's etag and
modification time replaced by what the page shows, long bodies cut."""

from __future__ import annotations

import re

SHOWN_PORT = 8000  # the port the pages tell readers to use
BODY_LINES = 16  # longer bodies are cut, with a marker line

VOLATILE = [
    (re.compile(r"^(date): .*$", re.IGNORECASE | re.MULTILINE), r"\1: <when you ask>"),
    (
        re.compile(r"^(last-modified): .*$", re.IGNORECASE | re.MULTILINE),
        r"\1: <the file's modification time>",
    ),
    (
        re.compile(r'^(etag): ".*"$', re.IGNORECASE | re.MULTILINE),
        r'\1: "<from the modification time and size>"',
    ),
]


def normalise(raw: str, port: int) -> str:
    text = raw.replace("\r\n", "\n").replace(
        f"127.0.0.1:{port}", f"127.0.0.1:{SHOWN_PORT}"
    )
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    head, _, body = text.partition("\n\n")
    lines = body.splitlines()
    if len(lines) > BODY_LINES:
        lines = [*lines[:BODY_LINES], f"… ({len(lines) - BODY_LINES} more lines)"]
    return head + "\n\n" + "\n".join(lines) + ("\n" if lines else "")
