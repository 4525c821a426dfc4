"""Put a client's file name into Content-Disposition percent-encoded (RFC 5987)."""

# --8<-- [start:app]
from urllib.parse import quote

from fastapi import FastAPI, Query
from fastapi.responses import Response

app = FastAPI()


def as_attachment(name: str) -> str:
    # safe="" percent-encodes all but letters, digits and "_.-~": no quote, no
    # semicolon, no CR/LF and no character outside ASCII is left
    return (
        f"attachment; filename=\"export.csv\"; filename*=utf-8''{quote(name, safe='')}"
    )


@app.get("/export")
def export(name: str = Query("report.csv", max_length=100)) -> Response:
    return Response(
        "id,total\n1,20\n",
        media_type="text/csv",
        headers={"Content-Disposition": as_attachment(name)},
    )


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from urllib.parse import unquote

    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/export", params={"name": "report.csv"})
    print(response.headers["content-disposition"])
    #> attachment; filename="export.csv"; filename*=utf-8''report.csv
    for name in ['x.csv"; filename="evil.exe', "名簿.csv", "a\r\nX-Evil: 1"]:
        response = client.get("/export", params={"name": name})
        encoded = response.headers["content-disposition"].split("''")[1]
        print(response.status_code, encoded, unquote(encoded) == name)
        #> 200 x.csv%22%3B%20filename%3D%22evil.exe True
        #> 200 %E5%90%8D%E7%B0%BF.csv True
        #> 200 a%0D%0AX-Evil%3A%201 True
    # --8<-- [end:try_it]
