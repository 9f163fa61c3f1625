"""The event's figures, checked against a hand-built event whose every number is known."""

from __future__ import annotations

import json

import pytest

from checkin.after_event.summary import (
    ArrivalBin,
    CampaignFigures,
    HeardFigures,
    PaperFigures,
    PrizeFigures,
    Summary,
    ZipFigures,
    summarize,
)
from checkin.cli import main
from checkin.record.audit import verify
from checkin.store import Database
from tests.helpers.after_event import PERSONAL_STRINGS, Built


@pytest.fixture
def summary(db: Database, event: Built) -> Summary:
    return summarize(db)


def test_people_and_households(summary: Summary) -> None:
    # A 2+2, B 1+1 senior, C 1+3, D 1; E never came; F's check-in was undone.
    assert summary.registered == 6
    assert summary.walkups == 2
    assert summary.households_checked_in == 4
    assert (summary.adults, summary.kids, summary.seniors) == (5, 5, 1)
    assert summary.people_checked_in == 11


def test_arrivals_per_quarter_hour_in_local_time(summary: Summary) -> None:
    assert summary.arrivals == (
        ArrivalBin("2030-06-14T13:00:00-05:00", 2, 6),
        ArrivalBin("2030-06-14T13:15:00-05:00", 0, 0),  # an empty quarter is still shown
        ArrivalBin("2030-06-14T13:30:00-05:00", 1, 4),
        ArrivalBin("2030-06-14T13:45:00-05:00", 1, 1),
    )
    assert summary.first_arrival == "2030-06-14T13:02:10-05:00"
    assert summary.last_arrival == "2030-06-14T13:47:30-05:00"
    assert summary.peak == ArrivalBin("2030-06-14T13:00:00-05:00", 2, 6)


def test_zip_codes_and_how_people_heard(summary: Summary) -> None:
    assert summary.zip_codes == (
        ZipFigures("64130", 2, 6),
        ZipFigures("64127", 1, 1),
        ZipFigures("64132", 1, 4),
    )
    assert summary.heard_about == (
        HeardFigures("Church", 1, 4),
        HeardFigures("Facebook", 1, 4),
        HeardFigures("Flyer: Elm Street", 1, 2),  # B scanned the flyer at the desk
        HeardFigures("", 1, 1),
    )
    assert summary.campaigns == (CampaignFigures("Elm Street", 1, 1),)


def test_tickets_per_type(summary: Summary) -> None:
    raffle, meal, backpack = summary.tickets
    assert (raffle.name, raffle.issued, raffle.void, raffle.redeemed) == ("Raffle", 4, 1, 0)
    # meals: 4 + 2 + 4 + 1 held, F's two voided by the undo, 3 eaten, stock 20
    assert (meal.issued, meal.redeemed, meal.void, meal.stock, meal.stock_left) == (
        11,
        3,
        2,
        20,
        9,
    )
    assert meal.paper_tally == 7  # two tally sheets, 4 + 3: kept apart from scanned figures
    # backpacks: 5 pre-printed, 3 bound by scanning, 1 issued directly, 2 handed over
    assert (backpack.issued, backpack.bound, backpack.unassigned, backpack.redeemed) == (4, 3, 2, 2)
    assert backpack.stock_left == 6


def test_raffle_prizes_and_draws_without_names(summary: Summary, event: Built) -> None:
    assert summary.prizes == (
        PrizeFigures("Bike", "Bike Co-op", 1, drawn=2, claimed=0, redrawn=1, waiting=1),
        PrizeFigures("Gift card", "", 2, drawn=1, claimed=1, redrawn=0, waiting=0),
    )
    assert [(d.prize, d.state) for d in summary.draws] == [
        ("Bike", "redrawn"),
        ("Bike", "drawn"),
        ("Gift card", "claimed"),
    ]
    assert summary.draws[1].serial == event.winners["Bike"]
    assert summary.draws[2].serial == event.winners["Gift card"]


def test_scans_unique_repeat_and_failed(summary: Summary) -> None:
    assert summary.scans == 21
    assert (summary.unique_scans, summary.repeat_scans) == (20, 1)
    assert summary.scans_by_state["checked_in"] == 6
    assert summary.scans_by_state["already_checked_in"] == 1
    assert summary.failed_scans_by_state == {"already_redeemed": 1, "not_a_code": 2, "typo": 1}
    assert summary.failed_scans == 4


def test_paper_tallies_are_marked_as_such(summary: Summary) -> None:
    assert summary.paper_tallies == (PaperFigures("check-ins", 5, 1), PaperFigures("Meal", 7, 2))


def test_audit_head_anchors_the_record(db: Database, summary: Summary) -> None:
    report = verify(db)
    assert (summary.audit_head, summary.audit_entries) == (report.head_hash, report.entries)


def test_summary_json_holds_no_personal_data(summary: Summary) -> None:
    text = summary.to_json_text()
    for value in PERSONAL_STRINGS:
        assert value not in text


def test_stats_json_prints_the_same_figures(
    db: Database, db_path: object, summary: Summary, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--db", str(db_path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(summary.as_json()))
    assert printed["arrivals"][0]["households"] == 2
    assert printed["failed_scans_by_state"]["typo"] == 1


def test_an_empty_event_has_zero_figures(db: Database) -> None:
    empty = summarize(db)
    assert (empty.households_checked_in, empty.scans, empty.arrivals) == (0, 0, ())
    assert empty.first_arrival == "" and empty.peak is None
