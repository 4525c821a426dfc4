"""The fix: return a bare Response(status_code=205), whose length is 0, and
declare the 205 on the decorator so that OpenAPI documents it."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import FastAPI, Path, Response, status

app = FastAPI()

DRAFTS: dict[int, str] = {1: "Dear Ada", 2: "Hi Bob"}


@app.post("/drafts/{draft_id}/clear", status_code=status.HTTP_205_RESET_CONTENT)
def clear_draft(draft_id: Annotated[int, Path(ge=1, le=100)]) -> Response:
    DRAFTS.pop(draft_id, None)
    return Response(status_code=status.HTTP_205_RESET_CONTENT)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    response = TestClient(app).post("/drafts/1/clear")
    print(response.status_code, response.headers["content-length"], response.content)
    #> 205 0 b''
    # --8<-- [end:try_it]
