"""What one passphrase guess costs: the key derivation against a stored hash, as someone with a
copy of the event file would run it (and as the app runs it at each unlock).

    python bench/bench_passphrase.py [--tries 5]

Prints the best and median time of one guess for today's setting and the one before issue 23
(2**14, 8, 1). Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import statistics
import time

from checkin.event import events

OLD = (2**14, 8, 1)


def _time(setting: tuple[int, int, int], tries: int) -> list[float]:
    n, r, p = setting
    events.SCRYPT_N, events.SCRYPT_R, events.SCRYPT_P = n, r, p
    stored = events.hash_passphrase("the right one")
    times = []
    for _ in range(tries):
        start = time.perf_counter()
        events.passphrase_matches(stored, "a wrong guess")
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=5)
    args = parser.parse_args()
    for label, setting in (("before (2^14, 8, 1)", OLD), ("now", events.KDF_SETTING)):
        times = _time(setting, args.tries)
        print(
            f"{label:22} n={setting[0]} r={setting[1]} p={setting[2]}: one guess "
            f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
