"""Behaviour of the common mistakes' examples that tests/test_common_mistakes.py
leaves out, so the tests session runs every line of examples/common_mistakes/."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from examples.common_mistakes import large_file_read_into_memory


def test_reading_as_text_fails_only_because_a_png_is_not_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The route itself is fine: given a file that happens to be UTF-8 text it
    answers; the real logo.png is what makes it fail (the page's claim)."""
    text_file = tmp_path / "logo.png"
    text_file.write_text("plain text, not a picture\n", encoding="utf-8")
    monkeypatch.setattr(large_file_read_into_memory, "LOGO", text_file)

    response = TestClient(large_file_read_into_memory.app).get("/logo.png")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == b"plain text, not a picture\n"
