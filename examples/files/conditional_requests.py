"""FileResponse sends an etag but never answers 304; here is how to add it."""

# --8<-- [start:app]
import re
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse

app = FastAPI()

SUMMARY = Path(__file__).parent / "reports" / "summary.pdf"

# One entity tag: an optional W/ (weak) and a quoted string.
ENTITY_TAG = re.compile(r'(?:W/)?("[^"]*")')


def none_match(if_none_match: str, etag: str) -> bool:
    """True when If-None-Match names `etag`, compared the weak way (RFC 9110)."""
    if if_none_match.strip() == "*":  # any current version of the file
        return True
    # Weak comparison: W/"abc" and "abc" are the same tag.
    return etag.removeprefix("W/") in ENTITY_TAG.findall(if_none_match)


@app.get("/plain")
def plain():
    return FileResponse(SUMMARY, filename="summary.pdf")


@app.get("/revalidated")
def revalidated(request: Request):
    # With stat_result, the etag and last-modified headers exist right away.
    response = FileResponse(SUMMARY, filename="summary.pdf", stat_result=SUMMARY.stat())
    etag = response.headers["etag"]
    if none_match(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers={"etag": etag})
    return response


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    etag = client.get("/plain").headers["etag"]
    # What a client may send in If-None-Match. The etag changes with the file,
    # so the printout names each form instead of showing it.
    forms = {
        "the etag": etag,
        "weak": f"W/{etag}",
        "in a list": f'"old",{etag}',
        "any (*)": "*",
        "another": '"old"',
    }

    for form, if_none_match in forms.items():
        asked = {"If-None-Match": if_none_match}
        plain = client.get("/plain", headers=asked)
        checked = client.get("/revalidated", headers=asked)
        print(f"{form}: /plain {plain.status_code}, /revalidated {checked.status_code}")
        #> the etag: /plain 200, /revalidated 304
        #> weak: /plain 200, /revalidated 304
        #> in a list: /plain 200, /revalidated 304
        #> any (*): /plain 200, /revalidated 304
        #> another: /plain 200, /revalidated 200
    # --8<-- [end:try_it]
