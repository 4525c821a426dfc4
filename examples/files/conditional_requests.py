"""FileResponse sends an etag but never answers 304; here is how to add it."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse

app = FastAPI()

SUMMARY = Path(__file__).parent / "reports" / "summary.pdf"


@app.get("/plain")
def plain():
    return FileResponse(SUMMARY, filename="summary.pdf")


@app.get("/revalidated")
def revalidated(request: Request):
    # With stat_result, the etag and last-modified headers exist right away.
    response = FileResponse(SUMMARY, filename="summary.pdf", stat_result=SUMMARY.stat())
    etag = response.headers["etag"]
    if etag in request.headers.get("if-none-match", "").split(", "):
        return Response(status_code=304, headers={"etag": etag})
    return response


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    etag = client.get("/plain").headers["etag"]

    again = client.get("/plain", headers={"If-None-Match": etag})
    print(again.status_code, len(again.content))
    #> 200 581

    again = client.get("/revalidated", headers={"If-None-Match": etag})
    print(again.status_code, len(again.content), again.headers["etag"] == etag)
    #> 304 0 True
    # --8<-- [end:try_it]
