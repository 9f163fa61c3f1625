"""Draw the app's icon (resources/icons/checkin.png, 256 px): a white check mark on the desk's
green, with a QR code's corner square. Run once; the PNG is committed. tools/build_bundle.py
turns it into .ico (Windows) and .icns (macOS) when it builds there."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons" / "checkin.png"
SIZE = 256
GREEN = (27, 127, 59, 255)  # the banner's success colour (ui/desk/banner.py)


def draw() -> Image.Image:
    scale = 4  # drawn large, then shrunk: smooth edges
    big = SIZE * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle(
        (8 * scale, 8 * scale, big - 8 * scale, big - 8 * scale), 44 * scale, GREEN
    )
    # a QR finder pattern in the top left corner
    x0, y0, side = 34 * scale, 34 * scale, 62 * scale
    pen.rectangle((x0, y0, x0 + side, y0 + side), "white")
    pen.rectangle(
        (x0 + 9 * scale, y0 + 9 * scale, x0 + side - 9 * scale, y0 + side - 9 * scale), GREEN
    )
    pen.rectangle(
        (x0 + 18 * scale, y0 + 18 * scale, x0 + side - 18 * scale, y0 + side - 18 * scale), "white"
    )
    points = [(70 * scale, 140 * scale), (112 * scale, 184 * scale), (200 * scale, 84 * scale)]
    pen.line(points, "white", width=30 * scale, joint="curve")
    for x, y in (points[0], points[2]):
        r = 15 * scale
        pen.ellipse((x - r, y - r, x + r, y + r), "white")
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    draw().save(OUT, optimize=True)


if __name__ == "__main__":
    main()
