"""Decode QR codes from camera frames with zxing-cpp, off the GUI thread.

Frames arrive faster than they can be decoded on a slow laptop; a frame that arrives while the
previous one is still being decoded is dropped, so the camera never lags behind. The same code
seen again within two seconds is reported once (as the scan engine also debounces).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import zxingcpp
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QImage

MAX_WIDTH = 1280  # larger frames are scaled down first: faster, and QR modules stay readable
DEBOUNCE_SECONDS = 2.0


def decode_image(image: QImage) -> list[str]:
    """Every QR code's text in the image."""
    if image.isNull():
        return []
    if image.width() > MAX_WIDTH:
        image = image.scaledToWidth(MAX_WIDTH, Qt.TransformationMode.SmoothTransformation)
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    if gray.bytesPerLine() != gray.width():  # rows padded to 4 bytes: drop the last 1-3 columns
        gray = gray.copy(0, 0, gray.width() - gray.width() % 4, gray.height())
    height, stride = gray.height(), gray.bytesPerLine()
    # A two-dimensional view of the pixels, no copy; zxing-cpp reads it as it reads an array
    # (numpy is not needed, which keeps the app bundle small).
    pixels = memoryview(gray.constBits())[: stride * height].cast("B", (height, stride))
    results = zxingcpp.read_barcodes(
        pixels, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    return [r.text for r in results if r.valid and r.text]


class _Worker(QObject):
    found = Signal(list)

    @Slot(QImage)
    def decode(self, image: QImage) -> None:
        try:
            texts = decode_image(image)
        except Exception:  # a strange frame must not stop the camera
            texts = []
        self.found.emit(texts)


class FrameDecoder(QObject):
    decoded = Signal(str)
    _frame = Signal(QImage)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        debounce_seconds: float = DEBOUNCE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._debounce = debounce_seconds
        self._clock = clock
        self._recent: dict[str, float] = {}
        self.busy = False
        self.decoded_frames = 0
        self.dropped_frames = 0
        self._thread = QThread(self)
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._frame.connect(self._worker.decode)  # queued: runs in the worker's thread
        self._worker.found.connect(self._found)
        self._thread.finished.connect(self._worker.deleteLater)
        thread = self._thread
        # The thread must be stopped before Qt deletes it with its parent, or Qt aborts.
        self.destroyed.connect(lambda: _stop(thread))

    def _ensure_running(self) -> None:
        if not self._thread.isRunning():
            self._thread.start()

    def submit(self, image: QImage) -> bool:
        """Hand over a frame; False when it was dropped because the last one is still busy."""
        if self.busy:
            self.dropped_frames += 1
            return False
        self.busy = True
        self._ensure_running()  # started with the first frame: no idle thread without a camera
        self._frame.emit(image.copy())  # the camera reuses its buffers
        return True

    def _found(self, texts: list[str]) -> None:
        self.busy = False
        self.decoded_frames += 1
        now = self._clock()
        self._recent = {t: at for t, at in self._recent.items() if now - at < self._debounce}
        for text in texts:
            if text not in self._recent:
                self._recent[text] = now
                self.decoded.emit(text)

    def stop(self) -> None:
        self._thread.quit()
        self._thread.wait(3000)


def _stop(thread: QThread) -> None:
    thread.quit()
    thread.wait(3000)
