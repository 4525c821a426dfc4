"""Test-only app for tests/e2e/test_performance_servers_real.py: which ASGI
extensions the server offers in each request's scope (docs/performance.md,
"FileResponse on each server")."""

from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/extensions")
async def extensions(request: Request) -> list[str]:
    return sorted(request.scope.get("extensions") or {})
