"""How many camera frames a second the webcam decoder gets through.

    /work/venv/bin/python bench/bench_frame_decoder.py [seconds-per-case]

Makes synthetic 640x480 and 1280x720 frames (a ticket's QR, rotated, blurred and shown on a
phone-like screen over a dark noisy background, plus a frame with no code at all, which is what
the camera sees most of the time) and times ``decode_image`` on each, on this thread. Prints
frames/s and whether the code was read; asserts nothing about time.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qrcode
from PIL import Image, ImageFilter
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from checkin.codes import CodeKind, make_code, new_event_key, new_event_tag
from ui.camera.frame_decoder import decode_image

TARGET_FPS = 10.0


def qr(text: str, box: int) -> Image.Image:
    maker = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=4)
    maker.add_data(text)
    image: Image.Image = maker.make_image(fill_color="black", back_color="white").convert("RGB")
    return image


def frame(size: tuple[int, int], code: str | None, seed: int = 7) -> QImage:
    """A dark noisy frame, with a phone screen showing the code when there is one."""
    rng = random.Random(seed)
    background = Image.blend(
        Image.effect_noise(size, 40).convert("RGB"), Image.new("RGB", size, (25, 25, 35)), 0.7
    )
    if code is not None:
        box = max(3, size[1] // 150)  # the phone held at arm's length: the QR is small
        symbol = qr(code, box).rotate(20, expand=True, fillcolor="white")
        symbol = symbol.filter(ImageFilter.GaussianBlur(1.0))
        screen = Image.new("RGB", (symbol.width + 40, symbol.height + 120), (245, 245, 245))
        screen.paste(symbol, (20, 60))
        x = rng.randrange(10, max(11, size[0] - screen.width - 10))
        y = rng.randrange(10, max(11, size[1] - screen.height - 10))
        background.paste(screen, (x, y))
    data = background.tobytes()
    width, height = background.size
    return QImage(data, width, height, width * 3, QImage.Format.Format_RGB888).copy()


def bench(image: QImage, seconds: float) -> tuple[float, list[str]]:
    texts = decode_image(image)  # warm-up (and the answer)
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        decode_image(image)
        count += 1
    return count / (time.perf_counter() - start), texts


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    _app = QApplication.instance() or QApplication([])
    code = make_code(CodeKind.TICKET, new_event_tag(), new_event_key()).value
    print(f"decode_image, {seconds:g} s per case (target {TARGET_FPS:.0f}+ frames/s)")
    print(f"{'frame':<12} {'content':<10} {'frames/s':>9}  read")
    for size in ((640, 480), (1280, 720)):
        for label, content in (("QR code", code), ("no code", None)):
            fps, texts = bench(frame(size, content), seconds)
            read = "-" if content is None else ("yes" if texts == [content] else f"NO {texts}")
            name = f"{size[0]}x{size[1]}"
            print(f"{name:<12} {label:<10} {fps:>9.1f}  {read}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
