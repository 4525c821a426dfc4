"""Test-only app: examples/common_mistakes/catch_all_lets_it_be_500.py with its
bug put back (the voucher's tax rate removed), as the example's "Try it" does,
so the real-server test can read what uvicorn logs for a bug behind the fix's
handler for Exception.
"""

from examples.common_mistakes.catch_all_lets_it_be_500 import TAX_PERCENT, app

TAX_PERCENT.pop("voucher", None)

__all__ = ["app"]
