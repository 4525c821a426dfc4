"""FastAPI 0.135.1, as a real uvicorn shows it: a client leaving a fast event stream.

An app with two endless EventSourceResponse feeds runs under uvicorn on a free
127.0.0.1 port. A client reads the first event and disconnects, twenty times
from /fast, whose generator yields without ever awaiting (faster than any
client reads), then once from /slow, which sleeps between events. The probe
reads the server's log, then stops the server by its PID.

- /fast: 0.135.1 logs "ERROR: Exception in ASGI application" whose
  traceback ends in anyio.BrokenResourceError (not for every disconnect: on
  0.165.0 about one in six logs nothing, and once on 0.135.1 none of five
  did, hence twenty); 0.135.0 logs nothing
  for any of them.
- /slow, in both: the generator's `finally` runs and no error is logged. The
  probe waits for the log to stay quiet after the /fast clients, notes its
  length, and looks only at what comes after that for /slow.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

from _verdict import verdict

APP = """
import asyncio
import socket
import sys

import uvicorn
from fastapi import FastAPI
from fastapi.sse import EventSourceResponse

app = FastAPI()


@app.get("/ready")
def ready():
    return "ready"


@app.get("/fast", response_class=EventSourceResponse)
async def fast():
    try:
        number = 0
        while True:
            number += 1
            yield number
    finally:
        print("closed /fast", file=sys.stderr, flush=True)


@app.get("/slow", response_class=EventSourceResponse)
async def slow():
    try:
        number = 0
        while True:
            number += 1
            yield number
            await asyncio.sleep(0.05)
    finally:
        print("closed /slow", file=sys.stderr, flush=True)


listener = socket.socket(fileno=int(sys.argv[1]))
config = uvicorn.Config(app, log_level="info", access_log=False)
uvicorn.Server(config).run(sockets=[listener])
"""
DEADLINE = 60.0  # seconds, for anything the probe waits on
FAST_CLIENTS = 20
QUIET = 1.5  # seconds without a new log line before /slow is asked
ASGI_ERROR = "ERROR:    Exception in ASGI application"
LOG_LINE = re.compile(r"[A-Z]+:\s|closed /")


def wait_for(predicate, what):
    deadline = time.monotonic() + DEADLINE
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.05)


def request(port, path, until):
    """Send GET `path`, read until `until` arrives, then leave."""
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: probe\r\n\r\n".encode())
        received = b""
        while until not in received:
            chunk = conn.recv(4096)
            if not chunk:
                raise SystemExit(f"{path}: connection closed after {received!r}")
            received += chunk
    return received


def wait_until_quiet(read):
    """Wait until `read()` has not changed for QUIET seconds; return it."""
    deadline = time.monotonic() + DEADLINE
    last, since = read(), time.monotonic()
    while time.monotonic() - since < QUIET:
        if time.monotonic() > deadline:
            raise SystemExit("the server log never went quiet")
        time.sleep(0.1)
        now = read()
        if now != last:
            last, since = now, time.monotonic()
    return last


def last_lines_of_asgi_errors(text):
    """The last line of each logged ASGI exception, without the | and + frames.

    A traceback block runs from the ERROR line to the next log line (one that
    starts with a level such as `INFO:`, or the app's own "closed /..."); an
    exception group's frame lines (`+----`) are skipped, so the line is the
    innermost exception's own.
    """
    endings = []
    block = None
    for line in text.splitlines():
        if line.startswith(ASGI_ERROR):
            if block is not None:
                endings.append(block)
            block = ""
        elif LOG_LINE.match(line):
            if block is not None:
                endings.append(block)
            block = None
        elif block is not None:
            content = line.strip().lstrip("|").strip()
            if content.strip("+-"):
                block = content
    if block is not None:
        endings.append(block)
    return endings


with tempfile.TemporaryDirectory() as directory:
    log_path = os.path.join(directory, "server.log")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-I", "-c", APP, str(listener.fileno())],
            pass_fds=(listener.fileno(),),
            stdout=log,
            stderr=log,
        )
    listener.close()

    def log_text():
        with open(log_path) as f:
            return f.read()

    try:
        request(port, "/ready", b'"ready"')
        for _ in range(FAST_CLIENTS):
            request(port, "/fast", b"data: 1\n\n")
        before_slow = len(wait_until_quiet(log_text))
        request(port, "/slow", b"data: 1\n\n")
        wait_for(lambda: "closed /slow" in log_text(), "/slow to close its generator")
        time.sleep(1.0)
    finally:
        if server.poll() is None:
            os.kill(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                os.kill(server.pid, signal.SIGKILL)
                server.wait()
    text = log_text()

fast_log, slow_log = text[:before_slow], text[before_slow:]
endings = last_lines_of_asgi_errors(fast_log)
verdict(
    (
        "/fast: some disconnects log an ASGI exception; every error logged is one",
        (bool(endings), fast_log.count("ERROR:") == len(endings)),
        (False, True),
        (True, True),
    ),
    (
        "/fast: each logged exception's traceback ends in BrokenResourceError",
        [ending for ending in endings if ending != "anyio.BrokenResourceError"],
        [],
        [],
    ),
    (
        "/slow: generator's finally ran, and nothing was logged as an error",
        ("closed /slow" in slow_log, "ERROR:" in slow_log),
        (True, False),
        (True, False),
    ),
)
