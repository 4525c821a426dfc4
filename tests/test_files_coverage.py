"""Behaviour of the files page's examples that the other tests/test_files_*.py
modules leave out, so the tests session runs every line of examples/files/."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from examples.files import missing_file


def test_checking_first_still_sends_a_report_that_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = b"%PDF-1.7 a tiny report\n"
    (tmp_path / "annual.pdf").write_bytes(report)
    monkeypatch.setattr(missing_file, "REPORTS", tmp_path)

    response = TestClient(missing_file.app).get("/checked")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'attachment; filename="annual.pdf"'
    )
    assert response.content == report
