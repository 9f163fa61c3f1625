"""Generate the desk's short result sounds (resources/sounds/*.wav) from sine tones.

Run once; the WAV files are committed. Distinct by pitch and rhythm, so a volunteer knows the
answer without looking: a rising chime for success, a double beep for a warning, a low buzz for
an error, a three-note call for a note that needs attention, and one short soft tick for a
scanner's double-trigger (the same scan again: nothing more happened).
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
OUT = Path(__file__).resolve().parents[1] / "resources" / "sounds"

Tone = tuple[float, float]  # (frequency in Hz, seconds); frequency 0 is silence

SOUNDS: dict[str, list[Tone]] = {
    "success": [(880.0, 0.09), (1318.5, 0.16)],
    "warning": [(660.0, 0.12), (0.0, 0.06), (660.0, 0.12)],
    "error": [(196.0, 0.35)],
    "attention": [(784.0, 0.1), (988.0, 0.1), (1175.0, 0.18)],
    "repeat": [(523.25, 0.06)],
}


def samples(tones: list[Tone]) -> bytes:
    frames = bytearray()
    for frequency, seconds in tones:
        count = int(RATE * seconds)
        for i in range(count):
            # a short fade in and out keeps the tone from clicking
            envelope = min(1.0, i / 200, (count - i) / 200)
            if frequency == 0:
                value = 0.0
            elif frequency < 300:  # the error buzz: a square-ish wave is harsher on purpose
                value = 0.5 * math.copysign(1.0, math.sin(2 * math.pi * frequency * i / RATE))
            else:
                value = 0.6 * math.sin(2 * math.pi * frequency * i / RATE)
            frames += struct.pack("<h", int(value * envelope * 32767))
    return bytes(frames)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, tones in SOUNDS.items():
        with wave.open(str(OUT / f"{name}.wav"), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(RATE)
            handle.writeframes(samples(tones))


if __name__ == "__main__":
    main()
