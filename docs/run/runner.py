"""Runs an example in the reader's browser (Pyodide in a Web Worker).

Loaded once by docs/run/worker.mjs. The browser has no threads, so two things
that need them are replaced, and nothing else:

- Starlette's TestClient drives the app through an AnyIO blocking portal on a
  thread. Here the portal is the worker's own event loop: each blocking call
  suspends Python with Pyodide's `run_sync` (WebAssembly JSPI) until the
  coroutine is done, so `client.get(...)` still returns a response.
- `anyio.to_thread.run_sync`, which runs `def` routes and dependencies, sync
  iterators and file reads in a thread pool, calls the function inline.

The example runs as `__main__` from its own path under examples/, so its
"try it" part runs and its relative paths resolve as on a server.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import io
import linecache
import logging
import re
import sys
import textwrap
import tokenize
import traceback
import types
from pathlib import Path

import anyio.from_thread
import anyio.to_thread
import fastapi  # noqa: F401 - imported here, while the page says "Importing FastAPI"
import starlette.testclient
from pyodide.ffi import run_sync

ROOT = Path.cwd()


class BrowserPortal:
    """The part of anyio's BlockingPortal that TestClient uses."""

    def __init__(self) -> None:
        self.tasks: dict[concurrent.futures.Future, asyncio.Task] = {}

    def call(self, func, *args):
        async def in_loop():
            result = func(*args)
            if asyncio.iscoroutine(result):
                result = await result
            return result

        return run_sync(in_loop())

    def start_task_soon(self, func, *args) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()

        async def in_loop():
            return await func(*args)

        def settle(task: asyncio.Task) -> None:
            if task.cancelled():
                future.cancel()
            elif task.exception() is not None:
                future.set_exception(task.exception())
            else:
                future.set_result(task.result())

        task = asyncio.ensure_future(in_loop())
        task.add_done_callback(settle)
        self.tasks[future] = task
        return future

    def start_task(self, func, *args):
        raise NotImplementedError(
            "TestClient's WebSocket sessions do not run in the browser; "
            "run this example with Python"
        )

    def wait(self, futures) -> None:
        tasks = [self.tasks[future] for future in futures if not future.done()]
        if tasks:
            run_sync(asyncio.wait(tasks))


PORTAL = BrowserPortal()

# Each Run starts from the logging set-up Python had before the first one, as
# `python -m` does: an example that adds a handler adds it once.
ROOT_LOGGING = (list(logging.root.handlers), logging.root.level)


def reset_logging() -> None:
    logging.root.handlers[:], level = list(ROOT_LOGGING[0]), ROOT_LOGGING[1]
    logging.root.setLevel(level)
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            logger.handlers.clear()
            logger.setLevel(logging.NOTSET)
            logger.propagate = True
            logger.disabled = False
    logging.Logger.manager._clear_cache()


@contextlib.contextmanager
def start_blocking_portal(*args, **kwargs):
    yield PORTAL


async def run_inline(
    func, *args, abandon_on_cancel=False, cancellable=None, limiter=None
):
    return func(*args)


anyio.from_thread.start_blocking_portal = start_blocking_portal
starlette.testclient.wait_futures = PORTAL.wait
anyio.to_thread.run_sync = run_inline

SECTION = re.compile(
    r"^(?P<indent>[ \t]*)# --8<-- \[start:(?P<name>\w+)\]\n(?P<body>.*?)^[ \t]*# --8<-- \[end:(?P=name)\]",
    re.MULTILINE | re.DOTALL,
)


def indent_code(code: str, indent: str) -> str:
    """`code` indented by `indent`, except the lines inside a multi-line
    string, which are part of the string's value."""
    inside = set()
    opened = []  # rows where an f-string or t-string started
    starts = {getattr(tokenize, n, -1) for n in ("FSTRING_START", "TSTRING_START")}
    ends = {getattr(tokenize, n, -1) for n in ("FSTRING_END", "TSTRING_END")}
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.STRING:
                inside.update(range(token.start[0] + 1, token.end[0] + 1))
            elif token.type in starts:
                opened.append(token.start[0])
            elif token.type in ends and opened:
                inside.update(range(opened.pop() + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        pass  # the code does not parse; compiling it will say where
    return "".join(
        line if number in inside or not line.strip() else indent + line
        for number, line in enumerate(code.splitlines(keepends=True), start=1)
    )


def splice(source: str, edits: list[tuple[str, str]]) -> str:
    """The file with each shown part (as the page showed it) replaced by its
    edited text, indented as the part is in the file."""
    for shown, edited in edits:
        if shown.strip() == edited.strip():
            continue
        for match in SECTION.finditer(source):
            body = match["body"]
            if textwrap.dedent(body).strip() == shown.strip():
                indent = re.match(r"[ \t]*", body)[0]
                new = indent_code(edited.strip("\n") + "\n", indent)
                source = (
                    source[: match.start("body")] + new + source[match.end("body") :]
                )
                break
        else:
            raise ValueError("the page's code is not part of the example file")
    return source


def user_frames(exc: BaseException) -> str:
    """The traceback without this runner's frames."""
    lines = traceback.format_exception(exc)
    keep = []
    skip = False
    for line in lines:
        if line.startswith('  File "') and __file__ in line:
            skip = True
            continue
        if skip and line.startswith("    "):
            skip = False
            continue
        skip = False
        keep.append(line)
    return "".join(keep)


def run(path: str, edits: list) -> int:
    """Run an example as __main__; 0 when it finished, 1 when it raised."""
    file = ROOT / path
    source = splice(file.read_text(), [tuple(edit) for edit in edits])
    module_name = path.removesuffix(".py").replace("/", ".")
    for name in list(sys.modules):
        if name == "examples" or name.startswith("examples."):
            del sys.modules[name]
    reset_logging()
    main = types.ModuleType("__main__")
    main.__file__ = str(file)
    previous_main = sys.modules["__main__"]
    sys.modules["__main__"] = main
    # Tracebacks show the lines that ran, edited or not.
    linecache.cache[str(file)] = (len(source), None, source.splitlines(True), str(file))
    try:
        code = compile(source, str(file), "exec")
        exec(code, main.__dict__)  # noqa: S102 - running the reader's example is the point
    except SystemExit as exit:
        if exit.code not in (None, 0):
            # As Python does: a number is the exit status, anything else is printed.
            sys.stdout.flush()
            message = exit.code if isinstance(exit.code, int) else str(exit.code)
            sys.stderr.write(f"SystemExit: {message}\n")
            return 1
    except BaseException as error:  # noqa: BLE001 - shown to the reader, whatever it is
        sys.stdout.flush()
        sys.stderr.write(user_frames(error))
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.modules["__main__"] = previous_main
        sys.modules.pop(module_name, None)
    return 0
