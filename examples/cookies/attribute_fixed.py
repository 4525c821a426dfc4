"""The fix: the path comes from a fixed list, and only the value comes from the user."""

# --8<-- [start:app]
from typing import Literal

from fastapi import FastAPI, Query, Response

app = FastAPI()


@app.post("/view")
def remember_view(
    response: Response,
    view: str = Query(max_length=20, pattern=r"^[a-z]+$"),
    section: Literal["/", "/reports", "/billing"] = "/",
) -> dict[str, str]:
    response.set_cookie("view", view, path=section, httponly=True)
    return {"view": view}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    params = {"view": "table", "section": "/reports"}
    print(client.post("/view", params=params).headers["set-cookie"])
    #> view=table; HttpOnly; Path=/reports; SameSite=lax
    params = {"view": "table", "section": "/; Max-Age=99999999; Domain=example.com"}
    print(client.post("/view", params=params).status_code)
    #> 422
    for view in ["a; Max-Age=9999", "€"]:
        print(client.post("/view", params={"view": view}).status_code)
        #> 422
        #> 422
    # --8<-- [end:try_it]
