"""Mistake: a 204 built with JSONResponse sends a body, `null`, that HTTP forbids."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import FastAPI, Path, status
from fastapi.responses import JSONResponse

app = FastAPI()

SESSIONS: set[int] = {1, 2, 3}


@app.delete("/sessions/{session_id}")
def end_session(session_id: Annotated[int, Path(ge=1, le=100)]) -> JSONResponse:
    SESSIONS.discard(session_id)
    return JSONResponse(content=None, status_code=status.HTTP_204_NO_CONTENT)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    response = TestClient(app).delete("/sessions/1")
    print(response.status_code, response.content)
    #> 204 b'null'
    # --8<-- [end:try_it]
