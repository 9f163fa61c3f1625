"""Who may do what on the hosted server: the owner (the host process, on loopback only) and the
``station`` role every joined station logs in as.

The owner is the cluster's bootstrap superuser; its password is random, kept 0600 beside the
server and never shown. Stations get what the scan path, walk-ups, undo, the merge of their
offline work and the desk's reads need, and nothing else:

- SELECT on every table, but the event row through ``station_view.events``, a view that hides
  the organiser passphrase hash (a station's organiser screens stay locked; organiser work is
  done on the host or after hosting);
- INSERT where a station adds rows (check-ins, scans, audit entries, walk-ups, tickets...);
- UPDATE only of the columns a station changes (a ticket's state, a check-in's undo...), and
  of the settings rows that are a station's (row-level security: not the raffle caller's PIN);
- no DELETE, TRUNCATE or UPDATE of scans and the audit chain, no DDL (no CREATE on any schema,
  no temporary tables), no COPY to or from files or programs, no server file functions (those
  need superuser or the pg_read_server_files / pg_execute_server_program roles it is not in).

The grants are made by the owner after the schema exists, at every start (idempotent), so a
server folder left by an older version is brought up to them.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from checkin.store.models import Base
from checkin.store.setting_keys import EventSetting

STATION = "station"
VIEW_SCHEMA = "station_view"

# Columns a station may change, per table (see the services: scanning/statements.py, undo.py,
# tickets.py, merge.py, station_copy.py). Tables not named here are read and inserted only.
UPDATABLE: dict[str, tuple[str, ...]] = {
    "attendees": (
        "first_name",
        "last_name",
        "adults",
        "kids",
        "seniors",
        "zip_code",
        "phone",
        "email",
        "language",
        "consent",
        "heard_about",
        "notes",
        "needs_attention",
        "attention_note",
        "campaign_id",
        "first_key",
        "last_key",
        "full_key",
        "phone_key",
    ),
    "checkins": ("undone_at",),
    "person_edits": ("before",),  # an undone edit's replaced values are emptied
    "tickets": (
        "state",
        "attendee_id",
        "issued_at",
        "issued_station",
        "redeemed_at",
        "redeemed_station",
        "voided_at",
    ),
    "ticket_types": ("next_serial",),
    "draws": ("state", "claimed_at", "claimed_station", "redrawn_at", "redraw_of"),
    "settings": ("value",),
    "stations": ("mode", "ticket_type_id"),
}
# Tables a station never adds rows to (set up by the organiser before the event).
READ_ONLY = {"events", "alembic_version", "campaigns", "ticket_types", "prizes"}


def grant_station(connection: Connection, password: str) -> None:
    """Create or update the station role and its grants (run as the owner, in a transaction)."""
    exists = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": STATION}
    ).first()
    verb = "ALTER" if exists else "CREATE"
    quoted = password.replace("'", "''")
    connection.execute(
        text(
            f"{verb} ROLE {STATION} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
            f" NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 80 PASSWORD '{quoted}'"
        )
    )
    database = connection.execute(text("SELECT current_database()")).scalar_one()
    for statement in (
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        f"REVOKE ALL ON DATABASE {database} FROM PUBLIC",
        "REVOKE ALL ON DATABASE postgres FROM PUBLIC",
        "REVOKE ALL ON DATABASE template1 FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {database} TO {STATION}",
        f"GRANT USAGE ON SCHEMA public TO {STATION}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {STATION}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {STATION}",
        f"CREATE SCHEMA IF NOT EXISTS {VIEW_SCHEMA}",
        f"REVOKE ALL ON SCHEMA {VIEW_SCHEMA} FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA {VIEW_SCHEMA} TO {STATION}",
        # The view is found first on the station's search path, under the table's own name.
        f"ALTER ROLE {STATION} SET search_path = {VIEW_SCHEMA}, public",
    ):
        connection.execute(text(statement))
    _events_view(connection)
    for table in Base.metadata.sorted_tables:
        name = table.name
        if name == "events":
            continue
        connection.execute(text(f"GRANT SELECT ON public.{name} TO {STATION}"))
        if name not in READ_ONLY:
            connection.execute(text(f"GRANT INSERT ON public.{name} TO {STATION}"))
        columns = [c for c in UPDATABLE.get(name, ()) if c in table.c]
        if columns:
            listed = ", ".join(columns)
            connection.execute(text(f"GRANT UPDATE ({listed}) ON public.{name} TO {STATION}"))
    connection.execute(text(f"GRANT SELECT ON public.alembic_version TO {STATION}"))
    _settings_rows(connection)


# The settings a station adds (its number range when it joins, a desk's own preferences) and
# changes; the rest (the raffle caller's PIN hash, the logo, import layouts...) are the
# organiser's, set before hosting or on the host.
STATION_ADDS = (
    EventSetting.FILE_UID,
    EventSetting.NUMBER_RANGE,
    EventSetting.STATION_COPIES,
    EventSetting.CARD_SECONDS,
    EventSetting.BACKUP_DIR,
)
STATION_CHANGES = (EventSetting.STATION_COPIES, EventSetting.CARD_SECONDS, EventSetting.BACKUP_DIR)


def _settings_rows(connection: Connection) -> None:
    """Row-level security on settings: a station reads every row but writes only its own keys
    (the owner is a superuser and is not bound by these policies)."""
    adds = ", ".join(f"'{key}'" for key in STATION_ADDS)
    changes = ", ".join(f"'{key}'" for key in STATION_CHANGES)
    connection.execute(text("ALTER TABLE public.settings ENABLE ROW LEVEL SECURITY"))
    for name, command, rule in (
        ("station_reads", "SELECT", "USING (true)"),
        ("station_adds", "INSERT", f"WITH CHECK (key IN ({adds}))"),
        (
            "station_changes",
            "UPDATE",
            f"USING (key IN ({changes})) WITH CHECK (key IN ({changes}))",
        ),
    ):
        connection.execute(text(f"DROP POLICY IF EXISTS {name} ON public.settings"))
        connection.execute(
            text(f"CREATE POLICY {name} ON public.settings FOR {command} TO {STATION} {rule}")
        )


def _events_view(connection: Connection) -> None:
    events = Base.metadata.tables["events"]
    columns = ", ".join(
        "CASE WHEN organiser_hash = '' THEN '' ELSE 'hidden' END AS organiser_hash"
        if column.name == "organiser_hash"
        else column.name
        for column in events.c
    )
    connection.execute(
        text(f"CREATE OR REPLACE VIEW {VIEW_SCHEMA}.events AS SELECT {columns} FROM public.events")
    )
    connection.execute(text(f"REVOKE ALL ON {VIEW_SCHEMA}.events FROM PUBLIC"))
    # SELECT ... FOR UPDATE (every write locks the event row first) needs an UPDATE grant, and a
    # merge bumps config_rev so that other stations reread the configuration.
    connection.execute(
        text(f"GRANT SELECT, UPDATE (config_rev) ON {VIEW_SCHEMA}.events TO {STATION}")
    )


# --- what a station could still change about itself ------------------------------------------
# PostgreSQL lets any role change its own password and its own session defaults (ALTER ROLE
# station PASSWORD ..., ALTER ROLE station SET default_transaction_read_only = on): one station
# could lock every other one out. The host checks the role now and then and puts it back.


def station_role_intact(connection: Connection, password: str) -> bool:
    row = connection.execute(
        text("SELECT oid, rolpassword FROM pg_authid WHERE rolname = :name"), {"name": STATION}
    ).first()
    if row is None:
        return True  # not made yet: the host makes it once the schema exists
    settings = connection.execute(
        text("SELECT setdatabase, setconfig FROM pg_db_role_setting WHERE setrole = :oid"),
        {"oid": row[0]},
    ).all()
    expected = [(0, [f"search_path={VIEW_SCHEMA}, public"])]
    return (
        _scram_matches(str(row[1] or ""), password)
        and [(int(d), list(c)) for d, c in settings] == expected
    )


def restore_station_role(connection: Connection, password: str) -> None:
    quoted = password.replace("'", "''")
    connection.execute(text(f"ALTER ROLE {STATION} PASSWORD '{quoted}'"))
    connection.execute(text(f"ALTER ROLE {STATION} IN DATABASE checkin RESET ALL"))
    connection.execute(text(f"ALTER ROLE {STATION} RESET ALL"))
    connection.execute(text(f"ALTER ROLE {STATION} SET search_path = {VIEW_SCHEMA}, public"))


def _scram_matches(verifier: str, password: str) -> bool:
    import base64
    import hashlib
    import hmac

    try:
        scheme, iterations_salt, keys = verifier.split("$")
        iterations, salt = iterations_salt.split(":")
        stored_key = base64.b64decode(keys.split(":")[0])
        salted = hashlib.pbkdf2_hmac(
            "sha256", password.encode(), base64.b64decode(salt), int(iterations)
        )
    except ValueError:
        return False
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return scheme == "SCRAM-SHA-256" and hmac.compare_digest(
        hashlib.sha256(client_key).digest(), stored_key
    )
