"""Behaviour of the examples on docs/your_page.md: what the page claims, asserted."""

from __future__ import annotations

from fastapi.testclient import TestClient

from examples.your_page import your_example


def test_a_name_is_greeted() -> None:
    response = TestClient(your_example.app).get("/greet", params={"name": "Ada"})

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"message": "Hello, Ada!"}


def test_without_a_name_the_world_is_greeted() -> None:
    response = TestClient(your_example.app).get("/greet")

    assert response.status_code == 200
    assert response.json() == {"message": "Hello, world!"}


def test_a_name_too_long_is_refused_before_the_route_runs() -> None:
    response = TestClient(your_example.app).get("/greet", params={"name": "x" * 41})

    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "string_too_long"
