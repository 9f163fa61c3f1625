"""Guessing the organiser passphrase (issue 23): a stronger key derivation, old hashes still
accepted and upgraded, an increasing wait after wrong tries kept across runs, and a short
passphrase refused for a new event."""

from __future__ import annotations

import base64
import hashlib
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from checkin.access import guessing, unlocking
from checkin.cli import main
from checkin.event import events
from checkin.store import Database, cipher
from checkin.store.models import AuditEntry, Event

OLD = (2**14, 8, 1)  # the setting before issue 23: 51 ms a guess


def _old_hash(passphrase: str, n: int, r: int, p: int) -> str:
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(passphrase.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    parts = [base64.b64encode(x).decode() for x in (salt, digest)]
    return f"scrypt${n}${r}${p}${parts[0]}${parts[1]}"


def test_a_new_hash_costs_at_least_eight_times_the_old(monkeypatch: pytest.MonkeyPatch) -> None:
    """The setting itself (bench/bench_passphrase.py prints the time of one guess)."""
    for name, real in zip(("SCRYPT_N", "SCRYPT_R", "SCRYPT_P"), events.KDF_SETTING, strict=True):
        monkeypatch.setattr(events, name, real)
    stored = events.hash_passphrase("correct horse")
    _, n, r, p, _, _ = stored.split("$")
    assert int(n) * int(r) * int(p) >= 8 * OLD[0] * OLD[1] * OLD[2]
    assert events.passphrase_matches(stored, "correct horse")
    assert not events.needs_rehash(stored)
    assert events.needs_rehash(_old_hash("x", *OLD))


def test_an_old_hash_opens_and_is_upgraded(db: Database) -> None:
    weak = _old_hash("secret", 2**8, 8, 1)  # weaker than the setting in force
    db.write(lambda s: setattr(s.scalars(select(Event)).one(), "organiser_hash", weak))
    assert unlocking.try_passphrase(db, "secret").open
    with db.reading() as session:
        stored = session.scalars(select(Event.organiser_hash)).one()
        actions = list(session.scalars(select(AuditEntry.action)))
    assert stored != weak and not events.needs_rehash(stored)
    assert events.passphrase_matches(stored, "secret")
    assert "passphrase_rehashed" in actions


def test_wrong_tries_bring_an_increasing_wait(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])  # the module guessing reads
    waits = []
    for _ in range(guessing.FREE_TRIES):
        tried = unlocking.try_passphrase(db, "guess")
        assert tried.outcome is unlocking.Outcome.WRONG
        waits.append(tried.wait)
    assert waits == [0.0] * guessing.FREE_TRIES
    first = unlocking.try_passphrase(db, "guess").wait
    assert first > 0
    # During the wait even the right passphrase is not checked
    assert unlocking.try_passphrase(db, "secret").outcome is unlocking.Outcome.WAIT
    clock[0] += first
    second = unlocking.try_passphrase(db, "guess").wait
    assert second > first
    clock[0] += second
    assert unlocking.try_passphrase(db, "secret").open
    clock[0] += 0.1
    assert unlocking.try_passphrase(db, "guess").wait == 0  # the count starts again


def test_the_command_line_waits_too_across_runs(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each `checkin list` is a new process in real use: the count is in a side file."""
    assert db.path is not None
    path = str(db.path)
    monkeypatch.delenv("CHECKIN_PASSPHRASE", raising=False)
    for _ in range(guessing.FREE_TRIES + 1):
        assert main(["list", "--db", path, "--passphrase", "guess"]) == 2
        assert "wrong organiser passphrase" in capsys.readouterr().err
    assert main(["list", "--db", path, "--passphrase", "secret"]) == 2
    err = capsys.readouterr().err
    assert "too many wrong passphrase tries" in err and "wait" in err


@pytest.mark.parametrize("weak", ["x", "1234567", "a b c"])
def test_new_event_refuses_a_short_passphrase(
    weak: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "party.checkin"
    code = main(["new-event", "--db", str(path), "--name", "Party", "--passphrase", weak])
    assert code == 1 and "at least 8 characters" in capsys.readouterr().err
    assert not path.exists()


@pytest.mark.parametrize("good", ["longenough", "a b c d"])
def test_new_event_takes_eight_characters_or_four_words(good: str, tmp_path: Path) -> None:
    path = tmp_path / "party.checkin"
    assert main(["new-event", "--db", str(path), "--name", "Party", "--passphrase", good]) == 0
    with closing(cipher.connect(path)) as raw:
        assert raw.execute("SELECT organiser_hash FROM events").fetchone()[0]
