"""The after-the-event report for the department and partners: PDF or HTML by the file suffix.

Made from the summary only (no personal data); written to a temporary file and renamed, so a
half-written report never replaces a good one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from checkin.after_event.report.content import ReportContent, build
from checkin.after_event.report.html import render_html
from checkin.after_event.report.pdf import write_pdf
from checkin.after_event.summary import Summary, summarize
from checkin.store import Database

SUFFIXES = (".pdf", ".html", ".htm")

__all__ = ["SUFFIXES", "ReportContent", "build", "render_html", "write_report"]


def write_report(db: Database, out: Path, *, summary: Summary | None = None) -> Path:
    """Write the report to ``out`` (.pdf, .html or .htm); returns the path written."""
    out = Path(out).expanduser()
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"The report is written as .pdf or .html, not {out.name!r}")
    if not out.parent.is_dir():
        raise ValueError(f"Folder does not exist: {out.parent}")
    content = build(summary or summarize(db))
    fd, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    try:
        if suffix == ".pdf":
            os.close(fd)
            write_pdf(content, Path(temp))
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(render_html(content))
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return out
