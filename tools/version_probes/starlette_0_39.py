"""Starlette 0.39: FileResponse answers Range requests.

One range gets 206 and that range, a range past the end gets 416, several
ranges get 206, and If-Range with the current etag gets the 206 while a stale
one gets the whole file. Before (0.38.6) every one of these requests got 200
and the whole file.
"""

from _ranges import ask_for_ranges
from _verdict import verdict

WHOLE = (200, "text/plain; charset=utf-8", None, b"0123456789abcdef")
FIRST_FOUR = (206, "text/plain; charset=utf-8", "bytes 0-3/16", b"0123")
answers = ask_for_ranges()


def whole_or_status(answer):
    """The whole answer when it is a 200 (the old side), else just its status.

    After 0.39 the status is all this note says about these two requests (what
    else they carry changed in 1.0, see starlette_1_0.py); before, the note
    says they got 200 and the whole file, which the full answer shows.
    """
    return answer if answer[0] == 200 else answer[0]


verdict(
    ("bytes=0-3", answers["single"], WHOLE, FIRST_FOUR),
    (
        "bytes=0-3 with If-Range: current etag",
        answers["if_range_match"],
        WHOLE,
        FIRST_FOUR,
    ),
    ("bytes=0-3 with a stale If-Range", answers["if_range_stale"], WHOLE, WHOLE),
    (
        "bytes=100-200, past the end",
        whole_or_status(answers["beyond"]),
        WHOLE,
        416,
    ),
    ("bytes=0-1,4-5", whole_or_status(answers["multi"]), WHOLE, 206),
)
