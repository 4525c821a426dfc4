"""Starlette 1.0: answers to several ranges, and 416s, are right.

Several ranges come back as a 206 with `Content-Type: multipart/byteranges;
boundary=...`, no Content-Range, and parts separated by CRLF; a 416 says
`Content-Range: bytes */16`. Every line of the multipart body is checked. Before (0.52.1, as since 0.39) the multipart
type and boundary went into Content-Range, Content-Type stayed the file's own
type, the parts were separated by bare LF, and a 416 said `*/16`.
"""

from _ranges import ask_for_ranges
from _verdict import verdict

answers = ask_for_ranges()
status, content_type, content_range, body = answers["multi"]
boundary = None
for header in (content_type, content_range):
    if header and header.startswith("multipart/byteranges; boundary="):
        boundary = header.partition("boundary=")[2]
if status != 206 or boundary is None:
    raise SystemExit(
        f"no multipart answer to two ranges: {status} {content_type} {content_range}"
    )
lines = body.split(b"\n")[:-1]  # each line with its end, but the \n
if lines and all(line.endswith(b"\r") for line in lines):
    line_ends = "CRLF"
elif lines and not any(line.endswith(b"\r") for line in lines):
    line_ends = "LF"
else:
    line_ends = "some CRLF, some LF" if lines else "no line breaks"
verdict(
    (
        "bytes=0-1,4-5: content-type / content-range",
        (content_type.split(";")[0], (content_range or "").split(";")[0] or None),
        ("text/plain", "multipart/byteranges"),
        ("multipart/byteranges", None),
    ),
    (
        "bytes=0-1,4-5: how every line of the body ends",
        line_ends,
        "LF",
        "CRLF",
    ),
    (
        "bytes=100-200: content-range of the 416",
        answers["beyond"][2],
        "*/16",
        "bytes */16",
    ),
)
