"""What the files page's tests share, TestClient and real-server alike: the
report the download examples serve, and the six headers FileResponse sets."""

from __future__ import annotations

from pathlib import Path

import examples.files

# download_report, resume_download and reports_by_name all serve this file.
SUMMARY = Path(examples.files.__file__).parent / "reports" / "summary.pdf"
PDF = SUMMARY.read_bytes()

# What FileResponse sends for a whole file, before the server adds its own.
FILE_RESPONSE_HEADERS = frozenset(
    {
        "content-type",
        "accept-ranges",
        "content-disposition",
        "content-length",
        "last-modified",
        "etag",
    }
)
