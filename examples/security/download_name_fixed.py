"""Put a client's file name into Content-Disposition percent-encoded (RFC 8187)."""

# --8<-- [start:app]
from urllib.parse import quote

from fastapi import FastAPI, Query
from fastapi.responses import Response

app = FastAPI()


def as_attachment(name: str, fallback: str) -> str:
    # safe="" percent-encodes all but letters, digits and "_.-~": no quote, no
    # semicolon, no CR/LF and no character outside ASCII is left. `fallback`,
    # for clients that ignore filename*=, is yours: plain ASCII, no quote
    return (
        f"attachment; filename=\"{fallback}\"; filename*=utf-8''{quote(name, safe='')}"
    )


@app.get("/export")
def export(name: str = Query("report.csv", min_length=1, max_length=100)) -> Response:
    if not name.endswith(".csv"):
        name += ".csv"  # the server picks the type, never the link
    return Response(
        "id,total\n1,20\n",
        media_type="text/csv",
        headers={"Content-Disposition": as_attachment(name, "export.csv")},
    )


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/export", params={"name": "report.csv"})
    print(response.headers["content-disposition"])
    #> attachment; filename="export.csv"; filename*=utf-8''report.csv
    for name in [
        "x\"; filename*=utf-8''evil.exe; a=\"",
        "名簿.csv",
        "a\r\nX-Evil: 1",
        "bill.exe",
    ]:
        response = client.get("/export", params={"name": name})
        encoded = response.headers["content-disposition"].split("utf-8''")[1]
        print(response.status_code, encoded)
        #> 200 x%22%3B%20filename%2A%3Dutf-8%27%27evil.exe%3B%20a%3D%22.csv
        #> 200 %E5%90%8D%E7%B0%BF.csv
        #> 200 a%0D%0AX-Evil%3A%201.csv
        #> 200 bill.exe.csv
    # --8<-- [end:try_it]
