"""The `next=` values tests/test_redirects.py and the Chromium test feed to the
open-redirect mistake and its fix (docs/redirects.md)."""

from __future__ import annotations

from urllib.parse import quote

# Values a real browser follows to evil.example when the route sends them back
# as they are (examples/redirects/open_redirect.py, /signed-in).
LEAVE = [
    "https://evil.example",
    "HTTPS://evil.example",
    "//evil.example",
    "///evil.example",
    "https:evil.example",
]
# The two of them that also pass a startswith("/") check (/signed-in-checked).
LEAVE_PAST_SLASH_CHECK = ["//evil.example", "///evil.example"]
# Values that would leave if they reached the browser as typed, but Starlette
# percent-encodes \, tab, space, CR and LF in the Location header, so they stay.
STAY_ENCODED = [
    "/\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    " //evil.example",
    "/account\r\nSet-Cookie: session=evil",
]
# Values that never leave: an encoded slash is no slash, javascript: is refused.
STAY = ["%2F%2Fevil.example", "/%2F/evil.example", "javascript:alert(1)"]
TRICKS = LEAVE + STAY_ENCODED + STAY
# Each trick once more, percent-encoded: what a route sees when a link
# encodes it twice.
ENCODED_TRICKS = [quote(trick, safe="") for trick in TRICKS]
