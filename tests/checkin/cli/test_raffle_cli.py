"""`checkin draw`, `redraw`, `raffle-log`, `prize` and `raffle-rules` from a script's view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from checkin import raffle
from checkin.cli import main
from checkin.raffle.pool import commitment_for, pool_hash
from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.store import Database, open_database
from checkin.store.models import Attendee


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check_everyone_in(db: Database, limit: int | None = None) -> None:
    engine = ScanEngine(db, debounce_seconds=0)
    with db.reading() as session:
        codes = list(session.scalars(select(Attendee.code).order_by(Attendee.id)))
    for code in codes[:limit]:
        assert engine.scan(code, Station("Desk")).state is ScanState.CHECKED_IN


@pytest.fixture(autouse=True)
def _organiser(monkeypatch: pytest.MonkeyPatch) -> None:
    """The raffle commands need the organiser passphrase or the caller's PIN (issue 23;
    tests/checkin/cli/test_cli_passphrase.py checks the lock): the organiser runs these."""
    monkeypatch.setenv("CHECKIN_PASSPHRASE", "secret")


@pytest.fixture
def party(demo_db: Database, db_path: Path) -> str:
    check_everyone_in(demo_db, limit=12)
    return str(db_path)


def test_draw_json_gives_everything_needed_to_check_it(
    party: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "draw", "--db", party, "--witness", "17", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["prize"] == "Kids' bicycle"  # first in the order of drawing
    assert data["ticket"].startswith("T") and data["attendee"].startswith("A")
    assert isinstance(data["serial"], int) and data["pool_size"] == 12
    assert data["seed_commitment"] == commitment_for(data["seed"])
    assert data["witness"] == "17" and len(data["random_value"]) == 64

    code, out, _ = run(capsys, "raffle-log", "--db", party, "--json", "--pools")
    (logged,) = [json.loads(line) for line in out.splitlines()]
    assert logged["ticket"] == data["ticket"] and logged["verified"] is True
    assert pool_hash(logged["pool"]) == data["pool_hash"] and data["ticket"] in logged["pool"]


def test_draw_a_named_prize_and_text_output(party: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "draw", "--db", party, "--prize", "tablet")
    assert code == 0
    assert out.startswith("Tablet (sponsor: Neighbourhood association): ticket No. ")
    assert "commitment" in out and "seed" in out


def test_draw_until_nothing_is_left_exits_non_zero_with_a_clear_line(
    party: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(party)
    prizes = sum(p.quantity for p in raffle.list_prizes(db))
    db.dispose()
    prizes_drawn = []
    for _ in range(prizes):
        code, out, err = run(capsys, "draw", "--db", party, "--json")
        assert code == 0, err
        prizes_drawn.append(json.loads(out)["prize"])
    assert prizes_drawn[:2] == ["Kids' bicycle", "Kids' bicycle"]
    code, out, err = run(capsys, "draw", "--db", party, "--json")
    assert code != 0 and out == ""
    assert err.strip() == "checkin: Nothing left to draw: every prize has its winners"


def test_nobody_eligible_exits_non_zero(
    demo_db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "draw", "--db", str(db_path))
    assert code == 1 and out == ""
    assert "Nobody is eligible for Kids' bicycle" in err and "Traceback" not in err


def test_unknown_prize_and_bad_options(party: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "draw", "--db", party, "--prize", "Unicorn")
    assert code == 1 and "No prize called Unicorn" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["redraw", "--db", party, "--prize", "Tablet", "--after-minutes", "soon"])
    assert exit_info.value.code == 2
    assert "not a whole number: soon" in capsys.readouterr().err


def test_prize_add_list_remove(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(db_path)
    code, out, _ = run(
        capsys,
        "prize",
        "add",
        "--db",
        path,
        "--name",
        "Tent",
        "--quantity",
        "2",
        "--sponsor",
        "REI",
    )
    assert code == 0 and "Tent x2" in out
    code, _, err = run(capsys, "prize", "add", "--db", path, "--name", "tent")
    assert code == 1 and "already a prize called tent" in err
    code, out, _ = run(capsys, "prize", "list", "--db", path, "--json")
    assert json.loads(out) == {
        "name": "Tent",
        "quantity": 2,
        "position": 1,
        "sponsor": "REI",
        "drawn": 0,
        "claimed": 0,
        "redrawn": 0,
        "left": 2,
    }
    assert run(capsys, "prize", "remove", "--db", path, "--name", "Tent")[0] == 0
    assert "No prizes yet" in run(capsys, "prize", "list", "--db", path)[1]


def test_redraw_and_log_show_the_no_show(party: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "draw", "--db", party, "--prize", "Tablet")
    code, _, err = run(capsys, "redraw", "--db", party, "--prize", "Tablet")
    assert code == 1 and "10 more minute(s)" in err
    code, out, err = run(
        capsys, "redraw", "--db", party, "--prize", "Tablet", "--after-minutes", "0", "--json"
    )
    assert code == 0, err
    new = json.loads(out)
    code, out, _ = run(capsys, "raffle-log", "--db", party, "--json")
    old, again = (json.loads(line) for line in out.splitlines())
    assert old["state"] == "redrawn" and again["redraw_of"] == old["draw"] == new["redraw_of"]
    assert again["ticket"] != old["ticket"] and old["verified"] and again["verified"]
    code, out, _ = run(capsys, "raffle-log", "--db", party)
    assert "redrawn" in out and out.count("recomputed: OK") == 2


def test_claim_from_the_scan_command_then_log_says_claimed(
    party: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "draw", "--db", party, "--json")
    ticket = json.loads(out)["ticket"]
    _, out, _ = run(capsys, "scan", "--db", party, "--station", "Prizes", "--mode", "prize", ticket)
    assert json.loads(out)["state"] == "prize_claimed"
    _, out, _ = run(capsys, "raffle-log", "--db", party)
    assert "claimed" in out and "at Prizes" in out


def test_rules_show_and_change(party: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "raffle-rules",
        "--db",
        party,
        "--one-win-per",
        "none",
        "--checked-in-only",
        "no",
        "--cutoff",
        "2030-01-01T12:00+00:00",
        "--redraw-after",
        "3",
        "--json",
    )
    assert code == 0
    assert json.loads(out) | {"cutoff_local": None} == {
        "checked_in_only": False,
        "one_win_per": "none",
        "cutoff": "2030-01-01T12:00:00",
        "redraw_after_minutes": 3,
        "cutoff_local": None,
    }
    _, out, _ = run(capsys, "raffle-rules", "--db", party, "--cutoff", "none")
    assert "cut-off:                none" in out
    with pytest.raises(SystemExit):
        main(["raffle-rules", "--db", party, "--cutoff", "teatime"])
    assert "not a time" in capsys.readouterr().err
