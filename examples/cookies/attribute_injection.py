"""Mistake: a cookie attribute built from user input, so a `;` in it adds attributes."""

# --8<-- [start:app]
from fastapi import FastAPI, Query, Response

app = FastAPI()


@app.post("/view")
def remember_view(
    response: Response,
    view: str = Query(max_length=20),
    section: str = Query("/", max_length=100),
) -> dict[str, str]:
    # The value is quoted by http.cookies; the path goes into the header as it is.
    response.set_cookie("view", view, path=section, httponly=True)
    return {"view": view}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    params = {"view": "a; Max-Age=9999", "section": "/reports"}
    print(client.post("/view", params=params).headers["set-cookie"])
    #> view="a\073 Max-Age=9999"; HttpOnly; Path=/reports; SameSite=lax
    params = {"view": "table", "section": "/; Max-Age=99999999; Domain=example.com"}
    print(client.post("/view", params=params).headers["set-cookie"])
    #> view=table; HttpOnly; Path=/; Max-Age=99999999; Domain=example.com; SameSite=lax
    client = TestClient(app, raise_server_exceptions=False)  # answer 500, not raise
    for params in [{"view": "€"}, {"view": "a", "section": "/€"}]:
        print(client.post("/view", params=params).status_code)
        #> 500
        #> 500
    # --8<-- [end:try_it]
