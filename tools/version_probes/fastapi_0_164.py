"""FastAPI 0.164: FastAPI's own metadata asks for Starlette 1.6 or newer.

So any FastAPI from 0.164 on runs on a Starlette with the httpx2-based
TestClient (Starlette 1.2, see starlette_1_2.py). Before (0.163.2) it accepted
Starlette 0.46.0 and newer.
"""

import importlib.metadata
import re

from _verdict import verdict

minimums = []
for requirement in importlib.metadata.requires("fastapi") or []:
    spec, _, marker = requirement.partition(";")
    if re.match(r"starlette\b", spec.strip()) and not marker.strip():
        minimums += [
            tuple(int(part) for part in found.split("."))
            for found in re.findall(r">=\s*(\d+(?:\.\d+)*)", spec)
        ]
if not minimums:
    raise SystemExit("fastapi declares no Starlette minimum")
lowest = max(minimums)
verdict(("lowest Starlette allowed", lowest, (0, 46, 0), (1, 6, 0)))
