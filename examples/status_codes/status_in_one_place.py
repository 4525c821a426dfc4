"""The fix: return data and let the decorator's status_code be sent and documented."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import FastAPI, Query, status
from pydantic import BaseModel

app = FastAPI()


class Report(BaseModel):
    month: int
    state: str


@app.post("/reports", status_code=status.HTTP_202_ACCEPTED)
def start_report(month: Annotated[int, Query(ge=1, le=12)]) -> Report:
    return Report(month=month, state="queued")


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
    #> 202 {'month': 5, 'state': 'queued'}
    # --8<-- [end:try_it]
