"""Test-only app with the bugs the fuzz harness must find (tests/fuzzing.py).

GET /ratio answers 500 when `whole` is 0. GET /countdown streams a line every
10 ms from `start` down to 0, so a negative start never ends. GET /blocks
streams `count` blocks of 64 KiB, with no upper bound. GET /cached reads an
If-None-Match header it does not declare and answers 500 to "*". GET /fine
breaks on nothing, and must not be reported.
"""

import asyncio

from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

app = FastAPI()


@app.get("/ratio")
def ratio(part: int, whole: int) -> float:
    return part / whole  # ZeroDivisionError, so a 500, when whole is 0


async def countdown_lines(start: int):
    number = start
    while number != 0:  # a negative start never reaches 0
        yield f"{number}\n"
        number -= 1
        await asyncio.sleep(0.01)


@app.get("/countdown")
async def countdown(start: int = 3):
    return StreamingResponse(countdown_lines(start), media_type="text/plain")


async def blocks(count: int):
    for _ in range(count):
        yield b"x" * 65536


@app.get("/blocks")
async def send_blocks(count: int = 2):
    return StreamingResponse(blocks(count), media_type="application/octet-stream")


@app.get("/cached")
def cached(request: Request) -> dict[str, int]:
    wanted = request.headers.get("if-none-match", "").strip('"')
    return {"version": int(wanted or 0)}  # ValueError, so a 500, on "*"


@app.get("/fine")
def fine(name: str = "you") -> dict[str, str]:
    return {"hello": name[:100]}
