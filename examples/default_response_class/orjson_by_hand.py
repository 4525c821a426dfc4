"""When a large, trusted payload needs orjson's speed, build the Response yourself."""

# Runs on a server only: it needs orjson, which the browser runtime does not include (Pyodide builds orjson 3.11.8, not the pinned 3.13).

# --8<-- [start:app]
import orjson
from fastapi import FastAPI, Response

app = FastAPI()


@app.get("/matrix")
def matrix():
    rows = {1: [0.5, 1.0], 2: [1.5, 2.0]}
    # Unlike json.dumps, orjson refuses int keys without this option.
    return Response(
        content=orjson.dumps(rows, option=orjson.OPT_NON_STR_KEYS),
        media_type="application/json",
    )


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/matrix")
    print(response.headers["content-type"], response.text)
    #> application/json {"1":[0.5,1.0],"2":[1.5,2.0]}
    # --8<-- [end:try_it]
