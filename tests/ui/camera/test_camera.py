"""The webcam pipeline with synthetic frames (no camera here): QR codes rotated, blurred,
perspective-skewed and shown on a phone-like screen must decode to exactly their text."""

from __future__ import annotations

import random

import pytest
import qrcode
from PIL import Image, ImageFilter
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from checkin.codes import CodeKind, make_code, new_event_key, new_event_tag
from ui.camera.camera_panel import CameraPanel
from ui.camera.frame_decoder import FrameDecoder, decode_image

pytestmark = pytest.mark.gui

CODE = make_code(CodeKind.TICKET, new_event_tag(), new_event_key()).value


def qr(text: str, box: int = 8) -> Image.Image:
    maker = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=4)
    maker.add_data(text)
    image = maker.make_image(fill_color="black", back_color="white").convert("RGB")
    assert isinstance(image, Image.Image)
    return image


def on_phone(code: Image.Image, size: tuple[int, int] = (1280, 720), seed: int = 3) -> Image.Image:
    """A dark frame with noise and a bright phone screen showing the code."""
    rng = random.Random(seed)
    frame = Image.effect_noise(size, 40).convert("RGB")
    dark = Image.new("RGB", size, (25, 25, 35))
    frame = Image.blend(frame, dark, 0.7)
    screen = Image.new("RGB", (code.width + 60, code.height + 160), (245, 245, 245))
    screen.paste(code, (30, 80))
    x = rng.randrange(50, size[0] - screen.width - 50)
    y = rng.randrange(20, max(21, size[1] - screen.height - 20))
    frame.paste(screen, (x, y))
    return frame


def to_qimage(image: Image.Image) -> QImage:
    rgb = image.convert("RGB")
    data = rgb.tobytes()
    return QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888).copy()


def perspective(image: Image.Image) -> Image.Image:
    w, h = image.size
    # coefficients for a gentle keystone, as when the phone is held at an angle
    return image.transform(
        (w, h),
        Image.Transform.PERSPECTIVE,
        (1.0, 0.12, -30, 0.02, 1.0, -10, 0.0002, 0.0001),
        Image.Resampling.BICUBIC,
        fillcolor=(255, 255, 255),
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: qr(CODE),
        lambda: qr(CODE).rotate(17, expand=True, fillcolor="white"),
        lambda: qr(CODE).rotate(-28, expand=True, fillcolor="white"),
        lambda: qr(CODE).filter(ImageFilter.GaussianBlur(1.3)),
        lambda: perspective(qr(CODE)),
        lambda: on_phone(qr(CODE, box=5)),
        lambda: on_phone(
            qr(CODE, box=6)
            .rotate(22, expand=True, fillcolor="white")
            .filter(ImageFilter.GaussianBlur(1.0))
        ),
    ],
    ids=["plain", "rotated", "rotated-back", "blurred", "skewed", "phone", "phone-rotated-blurred"],
)
def test_frames_decode_to_exactly_the_code(make: object) -> None:
    image = make()  # type: ignore[operator]
    assert decode_image(to_qimage(image)) == [CODE]


@pytest.mark.parametrize("width", [641, 642, 643, 1281])
def test_frames_of_any_width_decode(width: int) -> None:
    # Qt pads each row of a grey image to 4 bytes; the decoder must not read the padding as
    # pixels (a skewed image) nor fail on it. 1281 is also scaled down first.
    frame = Image.new("RGB", (width, 600), "white")
    frame.paste(qr(CODE, box=6), (width - 300, 40))  # the code near the right edge
    assert decode_image(to_qimage(frame)) == [CODE]


def test_a_frame_without_a_code_gives_nothing() -> None:
    assert decode_image(to_qimage(Image.effect_noise((640, 480), 60).convert("RGB"))) == []
    assert decode_image(QImage()) == []


def test_threaded_decoder_reports_each_code_once_and_drops_frames_when_busy(qtbot: QtBot) -> None:
    decoder = FrameDecoder()
    try:
        frame = to_qimage(on_phone(qr(CODE, box=5)))
        with qtbot.waitSignal(decoder.decoded, timeout=5000) as got:
            assert decoder.submit(frame)
            assert not decoder.submit(frame)  # still busy with the first: dropped, not queued
        assert got.args == [CODE]
        assert decoder.dropped_frames == 1
        seen: list[str] = []
        decoder.decoded.connect(seen.append)
        qtbot.waitUntil(lambda: not decoder.busy)
        decoder.submit(frame)
        qtbot.waitUntil(lambda: decoder.decoded_frames == 2, timeout=5000)
        assert seen == []  # the same code within two seconds is not reported again
    finally:
        decoder.stop()


def test_camera_panel_without_a_camera_says_so(qtbot: QtBot) -> None:
    panel = CameraPanel()
    qtbot.addWidget(panel)
    assert not panel.has_camera()  # no camera on this machine
    assert "No camera found" in panel.message.text()
    assert not panel.toggle.isEnabled()
    panel.decoder.stop()
