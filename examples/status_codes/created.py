"""Create answers 201 with a Location header; create-or-update picks 201 or 200."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import FastAPI, HTTPException, Path, Query, Response, status
from pydantic import BaseModel

app = FastAPI()

NoteId = Annotated[int, Path(ge=1, le=100)]
Text = Annotated[str, Query(min_length=1, max_length=200)]
NOTES: dict[int, str] = {}  # ids 1 to 100, so at most 100 notes


class Note(BaseModel):
    text: str


@app.post(
    "/notes",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "All 100 notes are taken"}},
)
def create_note(text: Text, response: Response) -> Note:
    free = [i for i in range(1, 101) if i not in NOTES]
    if not free:
        raise HTTPException(status.HTTP_409_CONFLICT, "All 100 notes are taken.")
    NOTES[free[0]] = text
    response.headers["Location"] = app.url_path_for("read_note", note_id=free[0])
    return Note(text=text)


@app.put(
    "/notes/{note_id}",
    responses={status.HTTP_201_CREATED: {"model": Note, "description": "Created"}},
)
def put_note(note_id: NoteId, text: Text, response: Response) -> Note:
    if note_id not in NOTES:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = app.url_path_for("read_note", note_id=note_id)
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
