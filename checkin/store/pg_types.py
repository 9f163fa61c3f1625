"""Text columns hold the same on PostgreSQL as on SQLite: any length.

The models give most text columns a length (``String(100)``); SQLite never enforces it, so an
event file can hold a name of 500 code points (one visible letter with its combining marks), and
hosting that file failed with "value too long for type character varying(100)" when its rows
were copied into the server. On PostgreSQL a ``String`` is therefore made as ``VARCHAR`` with no
length; the lengths stay in the models as documentation (and SQLite's schema, with its
migrations, is unchanged).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles


@compiles(String, "postgresql")
def _any_length(element: String, compiler: Any, **kw: Any) -> str:
    return "VARCHAR"
