"""The verdict every probe ends with: which side of its note the release is on.

A probe observes a few things and calls `verdict(*parts)`, one part per
sentence of its note: `(what, seen, before, after)`, where `before` is what
the release before the note shows and `after` what the note's release shows.
A part whose `before` and `after` are equal is a sentence that holds on both
sides ("code that builds a StreamingResponse itself works in every version").

It prints "present" only when every part is seen as `after`, "absent" only
when every part is seen as `before`, and "mixed" otherwise, naming the parts
that matched neither on stderr. A part whose old behaviour the note does not
state uses NOT_BEFORE, so it can never be taken for the old release.
"""

from __future__ import annotations

import sys

NOT_BEFORE = object()


def verdict(*parts: tuple[str, object, object, object]) -> None:
    if all(seen == after for _, seen, _, after in parts):
        print("present")
        return
    if all(before is not NOT_BEFORE and seen == before for _, seen, before, _ in parts):
        print("absent")
        return
    for what, seen, before, after in parts:
        shown = "(not stated)" if before is NOT_BEFORE else repr(before)
        print(f"{what}: saw {seen!r}, before {shown}, after {after!r}", file=sys.stderr)
    print("mixed")
