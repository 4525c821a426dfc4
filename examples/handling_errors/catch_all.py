"""Mistake: a route bug; the Exception handler sets the 500 body, the error still propagates."""

# --8<-- [start:app]
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

app = FastAPI()

SCORES: dict[str, list[int]] = {"ada": [7, 9], "bob": []}


@app.exception_handler(Exception)
async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(status_code=500, content={"error": "internal_error"})


@app.get("/average/{player}")
def average(player: str) -> dict[str, float]:
    scores = SCORES.get(player, [])
    return {"average": sum(scores) / len(scores)}  # the bug: no scores yet


@app.get("/average-fixed/{player}")
def average_fixed(player: str) -> dict[str, float | None]:
    if player not in SCORES:
        raise HTTPException(status_code=404, detail="Unknown player")
    scores = SCORES[player]
    return {"average": sum(scores) / len(scores) if scores else None}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    print(client.get("/average/ada").json())
    #> {'average': 8.0}
    try:
        client.get("/average/bob")
    except ZeroDivisionError as exc:
        print("TestClient re-raised:", repr(exc))
        #> TestClient re-raised: ZeroDivisionError('division by zero')

    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/average/bob")
    print(response.status_code, response.json())
    #> 500 {'error': 'internal_error'}

    print(client.get("/average-fixed/bob").json())  # the fix
    #> {'average': None}
    response = client.get("/average-fixed/eve")
    print(response.status_code, response.json())
    #> 404 {'detail': 'Unknown player'}
    # --8<-- [end:try_it]
