"""A walk-up with no name, "Guest #N", in the volunteer's language (the services name them in
English for the command line and files)."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

_GUEST = re.compile(r"Guest #(\d+)")


def localized_name(name: str) -> str:
    match = _GUEST.fullmatch(name)
    if match is None:
        return name
    return QCoreApplication.translate("Names", "Guest #%1").replace("%1", match.group(1))
