"""Mistake: writes the client's file name into Content-Disposition by hand."""

# --8<-- [start:app]
from fastapi import FastAPI, Query
from fastapi.responses import Response

app = FastAPI()


@app.get("/export")
def export(name: str = Query("report.csv", max_length=100)) -> Response:
    return Response(
        "id,total\n1,20\n",
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    for name in [
        "report.csv",
        "x\"; filename*=utf-8''evil.exe; a=\"",
        "名簿.csv",
        "a\r\nX-Evil: 1",
    ]:
        response = client.get("/export", params={"name": name})
        print(response.status_code, repr(response.headers.get("content-disposition")))
        #> 200 'attachment; filename="report.csv"'
        #> 200 'attachment; filename="x"; filename*=utf-8\'\'evil.exe; a=""'
        #> 500 None
        #> 200 'attachment; filename="a\r\nX-Evil: 1"'
    # --8<-- [end:try_it]
