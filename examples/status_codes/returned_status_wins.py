"""Mistake: the decorator documents 202, the JSONResponse returned sends 200."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import FastAPI, Query, Response, status
from fastapi.responses import JSONResponse

app = FastAPI()


@app.post("/reports", status_code=status.HTTP_202_ACCEPTED)
def start_report(
    month: Annotated[int, Query(ge=1, le=12)], response: Response
) -> JSONResponse:
    response.status_code = status.HTTP_201_CREATED  # ignored as well
    return JSONResponse({"month": month, "state": "queued"})


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    documented = app.openapi()["paths"]["/reports"]["post"]["responses"]
    print(sorted(documented))
    #> ['202', '422']
    response = client.post("/reports", params={"month": 5})
    print(response.status_code, response.json())
    #> 200 {'month': 5, 'state': 'queued'}
    # --8<-- [end:try_it]
