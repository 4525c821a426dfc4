"""Range requests against a 16-byte FileResponse, shared by the Starlette range probes."""

import os
import tempfile

from starlette.responses import FileResponse
from starlette.testclient import TestClient


def ask_for_ranges():
    """Each answer as (status, content-type, content-range, body), by name."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "sixteen.txt")
        with open(path, "wb") as f:
            f.write(b"0123456789abcdef")

        async def app(scope, receive, send):  # HTTP only: TestClient without `with`
            await FileResponse(path, media_type="text/plain")(scope, receive, send)

        client = TestClient(app)
        etag = client.get("/").headers["etag"]
        asked = {
            "single": {"Range": "bytes=0-3"},
            "multi": {"Range": "bytes=0-1,4-5"},
            "beyond": {"Range": "bytes=100-200"},
            "if_range_match": {"Range": "bytes=0-3", "If-Range": etag},
            "if_range_stale": {"Range": "bytes=0-3", "If-Range": '"stale"'},
        }
        answers = {}
        for name, headers in asked.items():
            response = client.get("/", headers=headers)
            answers[name] = (
                response.status_code,
                response.headers.get("content-type"),
                response.headers.get("content-range"),
                response.content,
            )
        return answers
