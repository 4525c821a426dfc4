"""A download name with accents and spaces: FileResponse encodes it for you."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()

SUMMARY = Path(__file__).parent / "reports" / "summary.pdf"


@app.get("/resume")
def download_resume():
    return FileResponse(SUMMARY, filename="résumé 2026.pdf")


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
    # --8<-- [end:try_it]
