"""Test-only app: the problem-details recipe with one route that has a bug.

examples/problem_details/problem_json.py adds a failing route only in its
"Try it" part; a real-server test needs one under uvicorn to see what the client
gets (a generic 500 problem) and what uvicorn logs (the whole exception).
"""

from examples.problem_details.problem_json import app


@app.get("/bug")
def bug() -> None:
    raise RuntimeError("secret: the database password is hunter2")
