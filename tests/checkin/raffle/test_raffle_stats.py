"""Every eligible ticket is equally likely to win.

The seeds come from a seeded generator (the draw's seed source is injectable), so these tests
give the same figures on every run and cannot flake; the real draw takes its seed from secrets.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

import pytest

from checkin import raffle
from checkin.people import attendees
from checkin.raffle import DrawCommitment
from checkin.raffle.pool import bounded, pick, pool_hash, winner
from checkin.results import Station
from checkin.scanning import ScanEngine
from checkin.store import Database, TicketKind
from checkin.ticketing import tickets

# Upper 0.1 % points of the chi-square distribution (standard tables).
CHI2_999 = {19: 43.820, 39: 72.055}


def chi_square(counts: Counter[int], cells: int, total: int) -> float:
    expected = total / cells
    return sum((counts[i] - expected) ** 2 / expected for i in range(cells))


def seed_source(seed: int) -> Callable[[], str]:
    rng = random.Random(seed)
    return lambda: rng.randbytes(32).hex()


def test_reduction_has_no_modulo_bias() -> None:
    """With 3-bit values and 3 tickets, 6 and 7 are rejected: 0..5 map on each ticket twice."""
    picks = Counter(bounded([v, 0], 3, bits=3)[0] for v in range(8))
    assert picks == {0: 2 + 2, 1: 2, 2: 2}  # 6 and 7 fall through to the next value, 0
    assert bounded([7, 6, 5], 3, bits=3) == (2, 5, 3)
    kept = Counter(bounded([v], 3, bits=3)[0] for v in range(6))
    assert set(kept.values()) == {2}


def test_each_ticket_equally_likely_over_many_seeds() -> None:
    cells, per_cell = 40, 250
    pool = sorted(f"T{n:03d}" for n in range(cells))
    digest = pool_hash(pool)
    seeds = seed_source(20240601)
    counts = Counter(pick(seeds(), digest, "", cells).index for _ in range(cells * per_cell))
    statistic = chi_square(counts, cells, cells * per_cell)
    assert statistic < CHI2_999[cells - 1], statistic
    assert set(counts) == set(range(cells))  # every ticket won at least once


def test_each_ticket_equally_likely_over_witness_numbers_with_one_seed() -> None:
    """The crowd's number alone (the seed fixed) spreads the win evenly too."""
    cells, per_cell = 20, 300
    pool = sorted(f"T{n:03d}" for n in range(cells))
    digest = pool_hash(pool)
    seed = seed_source(7)()
    counts = Counter(pick(seed, digest, str(n), cells).index for n in range(cells * per_cell))
    assert chi_square(counts, cells, cells * per_cell) < CHI2_999[cells - 1]


def test_a_biased_picker_would_fail_this_test() -> None:
    """The test has teeth: "first ticket a little more often" is caught."""
    cells, per_cell = 40, 250
    rng = random.Random(3)
    counts = Counter(
        0 if rng.random() < 0.05 else rng.randrange(cells) for _ in range(cells * per_cell)
    )
    assert chi_square(counts, cells, cells * per_cell) > CHI2_999[cells - 1]


@pytest.mark.slow
def test_prepared_draws_from_the_database_are_uniform(db: Database) -> None:
    """Through the service: commitments from the injected seed source, winners as draw() picks
    them. Each commitment is a fresh seed over the same 20-ticket pool."""
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, quantity=1, issue_at_checkin=True)
    desk = Station("Desk")
    for _ in range(20):
        code = attendees.register(db, desk, first_name="", last_name="").code
        ScanEngine(db).check_in(code, desk)
    raffle.add_prize(db, "Pen")
    seeds = seed_source(99)
    counts: Counter[str] = Counter()
    rounds = 1200
    for _ in range(rounds):
        prepared = raffle.prepare_draw(db, "Pen", seed_source=seeds)
        assert isinstance(prepared, DrawCommitment)
        counts[winner(prepared.seed, prepared.pool, "")[0]] += 1
    pool = sorted(counts)
    assert len(pool) == 20
    indexed = Counter({i: counts[code] for i, code in enumerate(pool)})
    assert chi_square(indexed, 20, rounds) < CHI2_999[19]
