"""Create answers 201 with a Location header; create-or-update picks 201 or 200."""

# --8<-- [start:app]
from threading import Lock
from typing import Annotated

from fastapi import FastAPI, HTTPException, Path, Query, Request, Response, status
from pydantic import BaseModel

app = FastAPI()

NoteId = Annotated[int, Path(ge=1, le=100)]
Text = Annotated[str, Query(min_length=1, max_length=200)]
NOTES: dict[int, str] = {}  # ids 1 to 100, so at most 100 notes
NOTES_LOCK = Lock()  # one request at a time picks an id and stores its note
CREATED = {
    "description": "Created",
    "headers": {
        "Location": {"description": "The new note", "schema": {"type": "string"}}
    },
}


class Note(BaseModel):
    text: str


@app.post(
    "/notes",
    status_code=status.HTTP_201_CREATED,
    responses={
        status.HTTP_201_CREATED: CREATED,
        status.HTTP_409_CONFLICT: {"description": "All 100 notes are taken"},
    },
)
def create_note(text: Text, request: Request, response: Response) -> Note:
    with NOTES_LOCK:
        free = [i for i in range(1, 101) if i not in NOTES]
        if not free:
            raise HTTPException(status.HTTP_409_CONFLICT, "All 100 notes are taken.")
        NOTES[free[0]] = text
    response.headers["Location"] = request.url_for("read_note", note_id=free[0]).path
    return Note(text=text)


@app.put(
    "/notes/{note_id}",
    responses={status.HTTP_201_CREATED: {"model": Note, **CREATED}},
)
def put_note(note_id: NoteId, text: Text, request: Request, response: Response) -> Note:
    with NOTES_LOCK:
        if note_id not in NOTES:
            response.status_code = status.HTTP_201_CREATED
            location = request.url_for("read_note", note_id=note_id).path
            response.headers["Location"] = location
        NOTES[note_id] = text
    return Note(text=text)


@app.get("/notes/{note_id}")
@app.head("/notes/{note_id}")
def read_note(note_id: NoteId) -> Note:
    if note_id not in NOTES:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no note {note_id}.")
    return Note(text=NOTES[note_id])


@app.delete("/notes/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_note(note_id: NoteId) -> None:
    NOTES.pop(note_id, None)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    created = client.post("/notes", params={"text": "buy milk"})
    print(created.status_code, created.headers["location"], created.json())
    #> 201 /notes/1 {'text': 'buy milk'}
    print(created.url.join(created.headers["location"]))
    #> http://testserver/notes/1
    first = client.put("/notes/7", params={"text": "call Ada"})
    print(first.status_code, first.headers["location"])
    #> 201 /notes/7
    again = client.put("/notes/7", params={"text": "call Ada at 5"})
    print(again.status_code, again.headers.get("location"))
    #> 200 None
    head = client.head("/notes/7")
    print(head.status_code, head.headers["content-length"], head.content)
    #> 200 24 b''
    deleted = client.delete("/notes/7")
    print(deleted.status_code, deleted.content)
    #> 204 b''
    print(client.head("/notes/7").status_code, client.head("/notes").status_code)
    #> 404 405
    # --8<-- [end:try_it]
