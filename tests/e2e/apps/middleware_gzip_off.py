"""Test-only app: the routes of examples/middleware/gzip_responses.py without
GZipMiddleware, so a real-server test can compare each chunk's arrival with
GZip on and off side by side. Slow both down with
--set examples.middleware.gzip_responses.DELAY=<seconds>."""

from fastapi import FastAPI
from fastapi.routing import APIRoute

from examples.middleware import gzip_responses

app = FastAPI(routes=[r for r in gzip_responses.app.routes if isinstance(r, APIRoute)])
