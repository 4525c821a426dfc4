"""FastAPI 0.131: ORJSONResponse and UJSONResponse are deprecated.

Building either warns with FastAPIDeprecationWarning, and orjson and ujson are
no longer in the `fastapi[all]` extra; neither was ever in
`fastapi[standard]`. The warning comes before the check that orjson or ujson
is installed, so this probe needs neither.
"""

import contextlib
import importlib.metadata
import re
import warnings

from _verdict import verdict
from fastapi import responses


def warns(name):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.suppress(AssertionError, ImportError):  # no orjson / ujson
            getattr(responses, name)({"a": 1})
    return any(w.category.__name__ == "FastAPIDeprecationWarning" for w in caught)


def fast_json_libraries_in(extra):
    found = set()
    for requirement in importlib.metadata.requires("fastapi") or []:
        name = re.match(r"[\w.-]+", requirement)[0].lower()
        marker = requirement.partition(";")[2]
        if name in {"orjson", "ujson"} and re.search(
            rf"extra\s*==\s*['\"]{extra}['\"]", marker
        ):
            found.add(name)
    return sorted(found)


verdict(
    ("ORJSONResponse warns", warns("ORJSONResponse"), False, True),
    ("UJSONResponse warns", warns("UJSONResponse"), False, True),
    (
        "orjson/ujson in fastapi[all]",
        fast_json_libraries_in("all"),
        ["orjson", "ujson"],
        [],
    ),
    ("orjson/ujson in fastapi[standard]", fast_json_libraries_in("standard"), [], []),
)
