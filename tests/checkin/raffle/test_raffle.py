"""The raffle's rules, commitments, redraws, claims and the log that lets anyone recompute."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from checkin import raffle
from checkin.people import attendees
from checkin.raffle import DrawCommitment, DrawOutcome, DrawResult, RaffleRules
from checkin.raffle.pool import commitment_for, pool_hash
from checkin.record.audit import verify
from checkin.results import PrizeParams, ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import Database, TicketKind, WinLimit
from checkin.store.models import AuditEntry, utcnow
from checkin.ticketing import tickets
from tests.helpers.outcomes import params_of

DESK = Station("Desk 1")
PRIZE_TABLE = Station("Prize table", StationMode.PRIZE)


def seeded(seed: int) -> Callable[[], str]:
    """A reproducible seed source for tests; the real draw uses secrets."""
    rng = random.Random(seed)
    return lambda: rng.randbytes(32).hex()


def person(db: Database, first: str = "", *, adults: int = 1, kids: int = 0) -> str:
    return attendees.register(
        db, DESK, first_name=first, last_name="", adults=adults, kids=kids
    ).code


def raffle_event(db: Database, *, per_household: int = 1) -> None:
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, quantity=per_household)
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE, quantity=1)


def give(db: Database, code: str, type_name: str = "Raffle", count: int | None = None) -> list[str]:
    result = tickets.issue_tickets(db, code, type_name, count=count, station=DESK)
    assert result.ok, result.message
    return [t.code for t in result.tickets]


def arrived(db: Database, code: str, *, raffle_tickets: int | None = None) -> list[str]:
    assert ScanEngine(db).check_in(code, DESK).state is ScanState.CHECKED_IN
    return give(db, code, count=raffle_tickets)


def commit(db: Database, prize: str | None = None, **kw: object) -> DrawCommitment:
    prepared = raffle.prepare_draw(db, prize, seed_source=seeded(1), **kw)  # type: ignore[arg-type]
    assert isinstance(prepared, DrawCommitment), prepared
    return prepared


def won(result: DrawResult) -> str:
    assert result.ok, result.message
    assert result.record is not None and result.record.ticket is not None
    return result.record.ticket


# --- prizes and rules -----------------------------------------------------------------------


def test_prizes_are_added_ordered_edited_and_removed_with_audit(db: Database) -> None:
    bike = raffle.add_prize(db, "  Kids'   bicycle ", quantity=2, sponsor="Bike Co-op")
    raffle.add_prize(db, "Gift card")
    tablet = raffle.add_prize(db, "Tablet")
    assert bike.name == "Kids' bicycle" and bike.quantity == 2 and bike.left == 2
    order = raffle.move_prize(db, tablet.uid, -2)
    assert [p.name for p in order] == ["Tablet", "Kids' bicycle", "Gift card"]
    raffle.update_prize(db, "gift card", quantity=3, sponsor="Sun Fresh")
    raffle.remove_prize(db, "Tablet")
    prizes = raffle.list_prizes(db)
    assert [(p.name, p.quantity, p.sponsor) for p in prizes] == [
        ("Kids' bicycle", 2, "Bike Co-op"),
        ("Gift card", 3, "Sun Fresh"),
    ]
    with db.reading() as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    for action in ("prize_added", "prizes_reordered", "prize_updated", "prize_removed"):
        assert action in actions


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda db: raffle.add_prize(db, "   "), "needs a name"),
        (lambda db: raffle.add_prize(db, "Bike", quantity=0), "between 1"),
        (lambda db: raffle.add_prize(db, "bike"), "already a prize"),
        (lambda db: raffle.remove_prize(db, "Unicorn"), "No prize called Unicorn"),
    ],
)
def test_bad_prize_requests_get_clear_messages(
    db: Database, call: Callable[[Database], object], message: str
) -> None:
    raffle.add_prize(db, "Bike")
    with pytest.raises(raffle.RaffleError, match=message):
        call(db)


def test_a_drawn_prize_cannot_be_removed_or_shrunk_below_its_winners(db: Database) -> None:
    raffle_event(db)
    for _ in range(3):
        arrived(db, person(db))
    raffle.add_prize(db, "Bike", quantity=2)
    seeds = seeded(2)
    won(raffle.draw(db, "Bike", seed_source=seeds))
    won(raffle.draw(db, "Bike", seed_source=seeds))
    with pytest.raises(raffle.RaffleError, match="stays in the raffle log"):
        raffle.remove_prize(db, "Bike")
    with pytest.raises(raffle.RaffleError, match="cannot be less than 2"):
        raffle.update_prize(db, "Bike", quantity=1)
    assert raffle.update_prize(db, "Bike", quantity=3).left == 1


def test_rules_are_stored_and_audited(db: Database) -> None:
    assert raffle.get_rules(db) == RaffleRules(True, WinLimit.HOUSEHOLD, None, 10)
    cutoff = utcnow().replace(microsecond=0)
    saved = raffle.set_rules(db, RaffleRules(False, WinLimit.PERSON, cutoff, 5), station="Setup")
    assert saved == RaffleRules(False, WinLimit.PERSON, cutoff, 5)
    assert raffle.get_rules(db) == saved
    with pytest.raises(raffle.RaffleError, match="One win per"):
        raffle.set_rules(db, RaffleRules(True, "family", None, 10))  # type: ignore[arg-type]
    with db.reading() as session:
        detail = session.scalar(
            select(AuditEntry.detail).where(AuditEntry.action == "raffle_rules_set")
        )
    assert detail is not None and json.loads(detail)["one_win_per"] == "person"


# --- eligibility ----------------------------------------------------------------------------


def test_only_checked_in_people_unless_the_rule_is_off(db: Database) -> None:
    raffle_event(db)
    here = arrived(db, person(db, "Here"))
    away = person(db, "Away")
    away_tickets = give(db, away)  # a pre-registered raffle ticket, never checked in
    raffle.add_prize(db, "Bike", quantity=5)
    assert commit(db).pool == tuple(here)
    raffle.set_rules(db, RaffleRules(checked_in_only=False))
    assert commit(db).pool == tuple(sorted(here + away_tickets))


def test_void_tickets_resource_tickets_and_unassigned_stock_never_eligible(db: Database) -> None:
    raffle_event(db, per_household=2)
    code = person(db)
    kept, voided = arrived(db, code, raffle_tickets=2)
    tickets.void_ticket(db, voided, reason="torn")
    give(db, code, "Meal")
    tickets.create_stock(db, "Raffle", 20)  # pre-printed sheets nobody holds yet
    raffle.add_prize(db, "Bike")
    assert commit(db).pool == (kept,)


def test_cutoff_excludes_tickets_issued_after_it(db: Database) -> None:
    raffle_event(db)
    early = arrived(db, person(db, "Early"))
    raffle.set_rules(db, RaffleRules(cutoff=utcnow()))
    arrived(db, person(db, "Late"))
    raffle.add_prize(db, "Bike")
    assert commit(db).pool == tuple(early)


def test_one_win_per_household(db: Database) -> None:
    raffle_event(db, per_household=3)
    family = person(db, "Family", adults=2, kids=1)
    mine = arrived(db, family, raffle_tickets=3)
    other = arrived(db, person(db, "Other"), raffle_tickets=1)
    raffle.add_prize(db, "Gift card", quantity=3)
    seeds = seeded(3)
    first = won(raffle.draw(db, seed_source=seeds))
    second = won(raffle.draw(db, seed_source=seeds))
    assert {first, second} <= set(mine + other)
    assert len({first in mine, second in mine}) == 2  # one each: never two for the family
    nobody = raffle.draw(db, seed_source=seeds)
    assert nobody.outcome is DrawOutcome.NOBODY_ELIGIBLE and not nobody.ok
    assert "Nobody is eligible" in nobody.message


def test_one_win_per_person_caps_a_household_at_its_size(db: Database) -> None:
    raffle_event(db, per_household=5)
    pair = arrived(db, person(db, "Pair", adults=2), raffle_tickets=5)
    raffle.set_rules(db, RaffleRules(one_win_per=WinLimit.PERSON))
    raffle.add_prize(db, "Pen", quantity=5)
    seeds = seeded(4)
    wins = [won(raffle.draw(db, seed_source=seeds)) for _ in range(2)]
    assert set(wins) <= set(pair)
    assert raffle.draw(db, seed_source=seeds).outcome is DrawOutcome.NOBODY_ELIGIBLE


def test_no_limit_still_never_draws_a_ticket_twice(db: Database) -> None:
    raffle_event(db, per_household=4)
    mine = arrived(db, person(db, adults=4), raffle_tickets=4)
    raffle.set_rules(db, RaffleRules(one_win_per=WinLimit.NONE))
    raffle.add_prize(db, "Pen", quantity=6)
    seeds = seeded(5)
    wins = [won(raffle.draw(db, seed_source=seeds)) for _ in range(4)]
    assert sorted(wins) == sorted(mine)
    assert raffle.draw(db, seed_source=seeds).outcome is DrawOutcome.NOBODY_ELIGIBLE


def test_nothing_left_unknown_prize_and_no_prizes_are_results(db: Database) -> None:
    raffle_event(db)
    for _ in range(3):
        arrived(db, person(db))
    assert raffle.draw(db).outcome is DrawOutcome.NOTHING_LEFT
    raffle.add_prize(db, "Bike")
    assert raffle.draw(db, "Unicorn").outcome is DrawOutcome.UNKNOWN_PRIZE
    won(raffle.draw(db))
    done = raffle.draw(db, "Bike")
    assert done.outcome is DrawOutcome.PRIZE_DONE and "have been drawn" in done.message
    left = raffle.draw(db)
    assert left.outcome is DrawOutcome.NOTHING_LEFT and "Nothing left" in left.message


def test_next_prize_follows_the_order_of_drawing(db: Database) -> None:
    raffle_event(db)
    for _ in range(5):
        arrived(db, person(db))
    raffle.add_prize(db, "Bike", quantity=2)
    raffle.add_prize(db, "Tablet")
    drawn = [raffle.draw(db, seed_source=seeded(n)).prize for n in range(3)]
    assert drawn == ["Bike", "Bike", "Tablet"]


# --- commitments and recomputing ------------------------------------------------------------


def test_commitment_is_recorded_before_the_draw_and_the_seed_revealed_after(db: Database) -> None:
    raffle_event(db)
    for _ in range(6):
        arrived(db, person(db))
    raffle.add_prize(db, "Bike")
    commitment = commit(db)
    assert commitment.pool_size == 6
    assert commitment.pool_hash == pool_hash(sorted(commitment.pool))
    assert commitment.seed_commitment == commitment_for(commitment.seed)
    with db.reading() as session:
        detail = session.scalar(
            select(AuditEntry.detail).where(AuditEntry.action == "raffle_committed")
        )
    assert detail is not None
    logged = json.loads(detail)
    assert logged["seed_commitment"] == commitment.seed_commitment
    assert logged["pool"] == list(commitment.pool)
    assert commitment.seed not in detail  # not revealed before the draw
    assert raffle.raffle_log(db) == []
    assert [u.uid for u in raffle.unused_commitments(db)] == [commitment.uid]

    result = raffle.draw(db, commitment, witness=" 4 2 ")
    record = result.record
    assert record is not None and record.uid == commitment.uid
    assert record.seed == commitment.seed and record.witness == "4 2"
    assert raffle.unused_commitments(db) == []
    assert raffle.draw(db, commitment).outcome is DrawOutcome.ALREADY_DRAWN
    assert verify(db).ok


def test_anyone_can_recompute_every_winner_from_the_log(db: Database) -> None:
    raffle_event(db)
    for _ in range(12):
        arrived(db, person(db))
    raffle.add_prize(db, "Bike", quantity=2)
    raffle.add_prize(db, "Tablet")
    seeds = seeded(6)
    won(raffle.draw(db, witness="1234", seed_source=seeds))
    won(raffle.draw(db, seed_source=seeds))
    won(raffle.draw(db, witness="¡Olé!", seed_source=seeds))
    log = raffle.raffle_log(db, with_pools=True)
    assert len(log) == 3
    for record in log:
        assert raffle.recompute(record) == record.ticket
        assert raffle.verify_draw(record)
    # The same figures from the JSON an organiser would hand over:
    exported = json.loads(json.dumps([r.as_json() for r in log]))
    again = [raffle.recompute(r, pool=e["pool"]) for r, e in zip(log, exported, strict=True)]
    assert again == [r.ticket for r in log]


def test_recompute_catches_a_doctored_log(db: Database) -> None:
    raffle_event(db)
    for _ in range(8):
        arrived(db, person(db))
    raffle.add_prize(db, "Bike")
    won(raffle.draw(db, seed_source=seeded(7)))
    (record,) = raffle.raffle_log(db, with_pools=True)
    from dataclasses import replace

    others = [c for c in record.pool if c != record.ticket]
    doctored = {
        "seed": replace(record, seed="0" * 64),
        "pool": replace(record, pool=(*record.pool[:-1], "T000-FAKE")),
        "winner": replace(record, ticket=others[0]),
        "witness": replace(record, witness="7"),
    }
    for what, fake in doctored.items():
        with pytest.raises(raffle.RecomputeError):
            raffle.recompute(fake)
        assert not raffle.verify_draw(fake), what
    with pytest.raises(raffle.RecomputeError, match="pool of this draw is needed"):
        raffle.recompute(replace(record, pool=()))


def test_pool_change_after_the_commitment_refuses_the_draw(db: Database) -> None:
    raffle_event(db)
    for _ in range(3):
        arrived(db, person(db))
    raffle.add_prize(db, "Bike")
    commitment = commit(db)
    arrived(db, person(db, "Latecomer"))
    result = raffle.draw(db, commitment)
    assert result.outcome is DrawOutcome.POOL_CHANGED and result.params["after"] == 4
    assert raffle.raffle_log(db) == []


def test_injected_seed_decides_the_winner_exactly(db: Database) -> None:
    raffle_event(db)
    for _ in range(10):
        arrived(db, person(db))
    raffle.add_prize(db, "Bike")
    commitment = commit(db)
    from checkin.raffle.pool import winner

    expected, _ = winner(commitment.seed, commitment.pool, "99")
    assert won(raffle.draw(db, commitment, "99")) == expected


def test_bad_witness_is_refused_kindly(db: Database) -> None:
    raffle_event(db)
    arrived(db, person(db))
    raffle.add_prize(db, "Bike")
    result = raffle.draw(db, witness="x" * 101)
    assert result.outcome is DrawOutcome.BAD_WITNESS
    assert raffle.draw(db, witness="line\x00break").outcome is DrawOutcome.BAD_WITNESS


# --- claims and redraws ---------------------------------------------------------------------


def test_claim_at_the_prize_table_once_and_kind_refusals(db: Database) -> None:
    raffle_event(db)
    losers = [arrived(db, person(db))[0] for _ in range(3)]
    raffle.add_prize(db, "Bike", sponsor="Co-op")
    winner = won(raffle.draw(db, seed_source=seeded(8)))
    engine = ScanEngine(db, debounce_seconds=0)
    claimed = engine.scan(winner, PRIZE_TABLE)
    assert (
        claimed.state is ScanState.PRIZE_CLAIMED and params_of(claimed, PrizeParams).prize == "Bike"
    )
    assert params_of(claimed, PrizeParams).sponsor == "Co-op"
    again = engine.scan(winner, PRIZE_TABLE)
    assert again.state is ScanState.ALREADY_CLAIMED
    loser = next(code for code in losers if code != winner)
    assert engine.scan(loser, PRIZE_TABLE).state is ScanState.NOT_A_WINNER
    (record,) = raffle.raffle_log(db)
    assert record.state == "claimed" and record.claimed_station == "Prize table"


def test_redraw_after_the_wait_keeps_the_no_show_on_record(db: Database) -> None:
    raffle_event(db)
    for _ in range(5):
        arrived(db, person(db))
    raffle.add_prize(db, "Bike")
    first = won(raffle.draw(db, seed_source=seeded(9)))
    too_soon = raffle.redraw(db, "Bike", after_minutes=10)
    assert too_soon.outcome is DrawOutcome.TOO_SOON and too_soon.params["minutes"] == 10
    later = utcnow() + timedelta(minutes=11)
    second = raffle.redraw(db, "Bike", after_minutes=10, now=later, seed_source=seeded(10))
    assert won(second) != first
    old, new = raffle.raffle_log(db, with_pools=True)
    assert (old.ticket, old.state, new.state) == (first, "redrawn", "drawn")
    assert old.redrawn_at is not None and new.redraw_of == old.uid
    assert first not in new.pool  # a drawn ticket is never drawn again
    assert raffle.recompute(new) == new.ticket
    # The no-show who comes back hears what happened; the new winner can claim.
    engine = ScanEngine(db, debounce_seconds=0)
    late = engine.scan(first, PRIZE_TABLE)
    assert late.state is ScanState.NOT_A_WINNER and "drawn again" in late.message
    assert engine.scan(won(second), PRIZE_TABLE).state is ScanState.PRIZE_CLAIMED
    assert raffle.redraw(db, "Bike", now=later).outcome is DrawOutcome.NOT_REDRAWABLE
    assert raffle.list_prizes(db)[0].redrawn == 1


def test_a_claimed_prize_cannot_be_redrawn(db: Database) -> None:
    raffle_event(db)
    for _ in range(3):
        arrived(db, person(db))
    raffle.add_prize(db, "Bike")
    result = raffle.draw(db, seed_source=seeded(11))
    ScanEngine(db).scan(won(result), PRIZE_TABLE)
    assert result.record is not None
    refused = raffle.redraw(db, result.record.uid, after_minutes=0)
    assert refused.outcome is DrawOutcome.NOT_REDRAWABLE and "claimed" in refused.message


def test_redraw_with_one_win_per_household_reopens_the_no_shows_household(db: Database) -> None:
    """The no-show's ticket stays out; their household's win no longer counts."""
    raffle_event(db, per_household=2)
    only = arrived(db, person(db, adults=2), raffle_tickets=2)
    raffle.add_prize(db, "Bike")
    first = won(raffle.draw(db, seed_source=seeded(12)))
    second = won(raffle.redraw(db, "Bike", after_minutes=0, seed_source=seeded(13)))
    assert sorted([first, second]) == sorted(only)
    empty = raffle.redraw(db, "Bike", after_minutes=0)
    assert empty.outcome is DrawOutcome.NOBODY_ELIGIBLE


def test_demo_event_draws_all_its_prizes(demo_db: Database) -> None:
    engine = ScanEngine(demo_db, debounce_seconds=0)
    with demo_db.reading() as session:
        from checkin.store.models import Attendee

        codes = list(session.scalars(select(Attendee.code)))
    for code in codes:
        engine.scan(code, DESK)
    total = sum(p.quantity for p in raffle.list_prizes(demo_db))
    results = [raffle.draw(demo_db, seed_source=seeded(14)) for _ in range(total + 1)]
    assert all(r.ok for r in results[:-1])
    assert results[-1].outcome is DrawOutcome.NOTHING_LEFT
    winners = [r.record.attendee for r in results[:-1] if r.record]
    assert len(set(winners)) == total  # one win per household (the default)
