"""Mistake: FileResponse calls every text file UTF-8; name the charset if it isn't."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()

# Saved in ISO-8859-1 (Latin-1), where "é" is one byte, 0xE9; not UTF-8.
MENU = Path(__file__).parent / "texts" / "menu-latin1.txt"


@app.get("/menu-guessed.txt")
def menu_guessed():
    # text/plain is guessed from the name, and "; charset=utf-8" is added to it.
    return FileResponse(MENU, filename="menu.txt")


@app.get("/menu.txt")
def menu():
    return FileResponse(
        MENU, filename="menu.txt", media_type="text/plain; charset=iso-8859-1"
    )


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ("/menu-guessed.txt", "/menu.txt"):
        response = client.get(path)
        # The client decodes the body with the charset the header names.
        print(response.headers["content-type"], "|", response.text.splitlines()[0])
        #> text/plain; charset=utf-8 | Caf� cr�me, 3,50
        #> text/plain; charset=iso-8859-1 | Café crème, 3,50
    # --8<-- [end:try_it]
