"""Consent withdrawal (issue 24): phone, email and consent go at once, from every later
export and report; a merge and a re-import never bring them back; sealed, so verify replays it."""

from __future__ import annotations

import csv
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from checkin.after_event.export import export_event
from checkin.after_event.report.content import build
from checkin.after_event.summary import summarize
from checkin.cli import main
from checkin.people import attendees
from checkin.people.consent_withdrawal import is_withdrawn, withdraw_consent, withdrawn_count
from checkin.people.csv_import import import_csv
from checkin.record import audit
from checkin.results import Station
from checkin.stations.merge import merge_station
from checkin.stations.station_copy import make_station_copy
from checkin.store import Database, cipher, open_database
from checkin.store.models import Attendee, AuditEntry

DESK = Station("Desk 1", volunteer="Ann")
PHONE = "8165550199"
EMAIL = "rosa.withdrew@example.org"


def _rosa(db: Database) -> str:
    return attendees.register(
        db, DESK, first_name="Rosa", last_name="Parra", phone=PHONE, email=EMAIL, consent=True
    ).code


def _everything(db: Database) -> str:
    """Every text column of every row of the file, to search for the phone and the email."""
    assert db.path is not None
    with closing(cipher.connect(db.path)) as raw:
        rows = raw.execute("SELECT phone, email, phone_key FROM attendees").fetchall()
    return repr(rows)


def test_withdrawal_removes_phone_email_and_consent_and_is_sealed(
    db: Database, tmp_path: Path
) -> None:
    code = _rosa(db)
    done = withdraw_consent(db, code, station=DESK)
    assert done.removed == ("phone", "email", "consent") and not done.before
    person = attendees.get_attendee(db, code)
    assert person is not None
    assert (person.phone, person.email, person.consent) == ("", "", False)
    assert person.contact_withdrawn_at is not None and is_withdrawn(db, code)
    assert withdraw_consent(db, code).before  # twice: nothing more to do
    assert PHONE not in _everything(db) and EMAIL not in _everything(db)
    with db.reading() as session:
        detail = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "contact_withdrawn")
        ).one()
    assert PHONE not in detail and "Rosa" not in detail  # the record holds no names
    assert audit.verify(db).ok
    # every later export and report
    export_event(db, tmp_path / "out")
    text = "".join(p.read_text(encoding="utf-8-sig") for p in (tmp_path / "out").glob("*.csv"))
    assert PHONE not in text and EMAIL not in text
    with (tmp_path / "out" / "summary.csv").open(encoding="utf-8-sig") as handle:
        rows = {(r["section"], r["measure"]): r["value"] for r in csv.DictReader(handle)}
    assert rows[("privacy", "contact_withdrawn")] == "1"
    assert summarize(db).contact_withdrawn == 1 == withdrawn_count(db)
    assert any(
        "Contact consent withdrawn: 1 households" in line for line in build(summarize(db)).record
    )


def test_verify_names_a_withdrawal_mark_removed_outside_the_app(db: Database) -> None:
    code = _rosa(db)
    withdraw_consent(db, code)
    if db.path is None:
        pytest.skip("edits the file with sqlite3")
    with closing(cipher.connect(db.path)) as raw:
        raw.execute("UPDATE attendees SET contact_withdrawn_at = NULL")
        raw.commit()
    assert any(d.field == "contact_withdrawn_at" for d in audit.verify(db).differences)


def test_a_reimport_after_withdrawal_does_not_bring_the_phone_back(
    db: Database, tmp_path: Path
) -> None:
    sheet = tmp_path / "prereg.csv"
    sheet.write_text(
        "First name,Last name,Adults,Kids,Zip,Phone,Email,May we contact you?\n"
        f"Rosa,Parra,2,1,64130,{PHONE},{EMAIL},Yes\n"
        "Luis,Ortega,1,0,64131,8165550100,,Yes\n",
        encoding="utf-8",
    )
    assert import_csv(db, sheet).imported == 2
    with db.reading() as session:
        code = session.scalar(select(Attendee.code).where(Attendee.first_name == "Rosa"))
    assert code is not None
    withdraw_consent(db, code)
    again = import_csv(db, sheet)
    assert again.imported == 0 and again.duplicates_skipped == 2
    assert PHONE not in _everything(db) and EMAIL not in _everything(db)
    with db.reading() as session:
        assert session.scalar(select(Attendee.id).where(Attendee.first_name == "Rosa").limit(2))
        rosas = session.scalars(select(Attendee.id).where(Attendee.first_name == "Rosa")).all()
    assert len(rosas) == 1


def test_a_merge_after_withdrawal_does_not_bring_the_phone_back(
    db: Database, tmp_path: Path
) -> None:
    if db.path is None:
        pytest.skip("station copies are files")
    code = _rosa(db)
    copy = tmp_path / "desk2.checkin"
    make_station_copy(db, copy, "Desk 2")  # made before the withdrawal: it has the phone
    withdraw_consent(db, code)
    report = merge_station(db, copy)
    assert not report.already_merged
    assert PHONE not in _everything(db) and EMAIL not in _everything(db)
    person = attendees.get_attendee(db, code)
    assert person is not None and not person.consent and person.contact_withdrawn_at is not None
    assert audit.verify(db).ok


def test_a_withdrawal_at_a_station_is_carried_over_by_the_merge(
    db: Database, tmp_path: Path
) -> None:
    if db.path is None:
        pytest.skip("station copies are files")
    code = _rosa(db)
    copy = tmp_path / "desk2.checkin"
    make_station_copy(db, copy, "Desk 2")
    station = open_database(copy)
    try:
        withdraw_consent(station, code, station=Station("Desk 2"))
    finally:
        station.dispose()
    merge_station(db, copy)
    assert PHONE not in _everything(db) and EMAIL not in _everything(db)
    assert is_withdrawn(db, code)
    assert audit.verify(db).ok


def test_cli_withdraw_and_export_say_how_many(
    db_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(db_path)
    assert main(["new-event", "--db", path, "--name", "Party", "--passphrase", "long secret"]) == 0
    db = open_database(path)
    code = _rosa(db)
    db.dispose()
    capsys.readouterr()
    assert main(["withdraw", "--db", path, code]) == 2  # locked
    assert main(["withdraw", "--db", path, code, "--passphrase", "long secret"]) == 0
    assert "removed: phone, email, consent" in capsys.readouterr().out
    out = tmp_path / "export"
    assert main(["export", "--db", path, "--out", str(out), "--passphrase", "long secret"]) == 0
    assert "1 households withdrew their contact consent" in capsys.readouterr().out
    assert PHONE not in (out / "attendees.csv").read_text(encoding="utf-8-sig")
    assert main(["verify", "--db", path]) == 0
