"""Three ways to answer 204 with no body: the decorator, or a bare Response."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import FastAPI, Path, Response, status

app = FastAPI()

SessionId = Annotated[int, Path(ge=1, le=100)]
SESSIONS: set[int] = {1, 2, 3}


@app.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def end_session(session_id: SessionId) -> None:
    SESSIONS.discard(session_id)


@app.delete("/v2/sessions/{session_id}")
def end_session_v2(session_id: SessionId) -> Response:
    SESSIONS.discard(session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@app.delete("/old/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def end_session_old(session_id: SessionId):  # no return type: see below
    SESSIONS.discard(session_id)
    return {"ended": session_id}  # FastAPI drops this body


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ["/sessions/1", "/v2/sessions/2", "/old/sessions/3"]:
        response = client.delete(path)
        print(
            response.status_code,
            response.headers.get("content-type"),
            response.headers.get("content-length"),
            response.content,
        )
        #> 204 application/json None b''
        #> 204 None None b''
        #> 204 application/json None b''
    # --8<-- [end:try_it]
