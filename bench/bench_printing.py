"""Printing speed: one ticket drawn into a PDF, and a 500-ticket stock sheet PDF.

    python bench/bench_printing.py

Prints figures; asserts nothing.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from checkin.codes import CodeKind, make_code, new_event_key, new_event_tag
from checkin.paper.ticket_pdf import Face, draw_face, write_pdf


def main() -> None:
    tag, key = new_event_tag(), new_event_key()
    faces = [
        Face(
            make_code(CodeKind.TICKET, tag, key).value,
            "Ol' Skool Block Party",
            "2030-06-14",
            "Raffle",
            "raffle",
            n + 1,
        )
        for n in range(500)
    ]
    folder = Path(tempfile.mkdtemp(prefix="bench-print-"))
    canvas = Canvas(str(folder / "one.pdf"))
    times = []
    for face in faces[:200]:
        t0 = time.perf_counter()
        draw_face(canvas, face, 0, 0, 190, 72)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    pages = write_pdf(faces, folder / "stock.pdf", "letter-30")
    sheet = time.perf_counter() - t0
    print("| what | result | target |")
    print("|---|---|---|")
    print(
        f"| one ticket drawn into a PDF (median of 200) | {statistics.median(times) * 1000:.2f} ms"
        " | ≤ 5 ms |"
    )
    print(f"| 500-ticket letter-30 stock PDF ({pages} pages) | {sheet:.2f} s | ≤ 10 s |")


if __name__ == "__main__":
    main()
