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

# Where the browser goes first after each route, as the table on the page says:
# "evil.example", "stays" (a URL on the same host built from the value), "home"
# (the site's "/") or None (the browser does not follow it).
NAIVE_GOES: dict[str, str | None] = {
    **dict.fromkeys(LEAVE, "evil.example"),
    **dict.fromkeys(STAY_ENCODED, "stays"),
    "%2F%2Fevil.example": "stays",
    "/%2F/evil.example": "stays",
    "javascript:alert(1)": None,
}
CHECKED_GOES: dict[str, str | None] = {
    "https://evil.example": "home",
    "HTTPS://evil.example": "home",
    "//evil.example": "evil.example",
    "///evil.example": "evil.example",
    "https:evil.example": "home",
    "/\\evil.example": "stays",
    "/\\/evil.example": "stays",
    "/\t/evil.example": "stays",
    " //evil.example": "home",
    "/account\r\nSet-Cookie: session=evil": "stays",
    "%2F%2Fevil.example": "home",
    "/%2F/evil.example": "stays",
    "javascript:alert(1)": "home",
}
