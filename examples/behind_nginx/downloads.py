"""The app authorises a download and names the file; nginx sends it
(X-Accel-Redirect)."""

# --8<-- [start:app]
import re
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Header, HTTPException, Response

app = FastAPI()
REPORTS = (Path(__file__).parent / "reports").resolve()  # nginx's alias too
TOKEN = "let-me-in"  # stands for your real authorisation
# A plain file name: no slash, no leading dot, so never ".." or an absolute path.
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@app.get("/downloads/{name}")
def download(
    name: str, x_token: Annotated[str, Header(max_length=100)] = ""
) -> Response:
    if not secrets.compare_digest(x_token.encode(), TOKEN.encode()):
        raise HTTPException(status_code=403, detail="Not allowed")
    path = REPORTS / name
    # is_file() follows a symbolic link, wherever it points: refuse links.
    if not FILE_NAME.fullmatch(name) or path.is_symlink() or not path.is_file():
        raise HTTPException(status_code=404, detail="Report not found")
    return Response(
        headers={
            "X-Accel-Redirect": f"/protected-reports/{name}",
            "Content-Disposition": f'attachment; filename="{name}"',
        },
        media_type="text/csv",
    )


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, headers={"X-Token": "let-me-in"})
    response = client.get("/downloads/summary.csv")
    print(response.status_code, response.headers["x-accel-redirect"])
    #> 200 /protected-reports/summary.csv
    print(repr(response.content))
    #> b''
    for name in ["..%2Fdownloads.py", "%2Fetc%2Fpasswd", ".hidden", "nope.csv"]:
        print(name, client.get(f"/downloads/{name}").status_code)
        #> ..%2Fdownloads.py 404
        #> %2Fetc%2Fpasswd 404
        #> .hidden 404
        #> nope.csv 404
    print(client.get("/downloads/summary.csv", headers={"X-Token": "no"}).status_code)
    #> 403
    # --8<-- [end:try_it]
