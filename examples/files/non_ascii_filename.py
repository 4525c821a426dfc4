"""A download name with accents and spaces, with an ASCII fallback for older clients."""

# --8<-- [start:app]
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()

SUMMARY = Path(__file__).parent / "reports" / "summary.pdf"


@app.get("/resume")
def download_resume():
    # Only filename*=, which some clients (curl -OJ among them) ignore.
    return FileResponse(SUMMARY, filename="résumé 2026.pdf")


def attachment(name: str) -> str:
    """A content-disposition with an ASCII filename= and the exact filename*=."""
    # "é" becomes "e" plus an accent; drop what isn't ASCII.
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore")
    # Drop control characters (a line break would end the header) and the
    # quote and backslash, which would end or escape the quoted name.
    fallback = re.sub(r'[\x00-\x1f\x7f"\\]', "", ascii_name.decode())
    # With safe="", quote() percent-encodes all but ASCII letters, digits and
    # _.-~: line breaks and "/" included.
    exact = quote(name, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{exact}"


@app.get("/resume-with-fallback")
def download_resume_with_fallback():
    return FileResponse(
        SUMMARY,
        media_type="application/pdf",
        headers={"content-disposition": attachment("résumé 2026.pdf")},
    )


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from urllib.parse import unquote

    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/resume")
    disposition = response.headers["content-disposition"]
    print(disposition)
    #> attachment; filename*=utf-8''r%C3%A9sum%C3%A9%202026.pdf
    print(unquote(disposition.split("''", 1)[1]))
    #> résumé 2026.pdf

    response = client.get("/resume-with-fallback")
    print(response.headers["content-disposition"])
    """
    attachment; filename="resume 2026.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf
    """
    # --8<-- [end:try_it]
