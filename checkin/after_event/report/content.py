"""What the report says, independent of PDF or HTML: made from the summary only, so it holds
no names, phones, emails or codes (raffle winners appear as ticket numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from checkin.after_event.report.charts import HATCHED, SOLID, Chart, Series, bar_chart, column_chart
from checkin.after_event.summary import Summary
from checkin.store import DrawState

PAGE_WIDTH = 523.0  # A4/Letter text width at ~36 pt margins
ZIP_ROWS = 15


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class ReportContent:
    title: str
    subtitle: str
    headline: tuple[tuple[str, str], ...]
    charts: tuple[Chart, ...]
    tables: tuple[Table, ...]
    record: tuple[str, ...]  # the accountability lines at the end


def _clock(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%H:%M") if iso else ""


def _date(summary: Summary) -> str:
    if not summary.event_date:
        return ""
    return date.fromisoformat(summary.event_date).strftime("%d %B %Y").lstrip("0")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def build(summary: Summary) -> ReportContent:
    s = summary
    peak = s.peak
    busiest = f", busiest {_clock(peak.start)}" if peak and peak.households else ""
    headline = (
        ("Households checked in", f"{s.households_checked_in:,}"),
        ("People", f"{s.people_checked_in:,}"),
        ("Adults · kids · seniors", f"{s.adults:,} · {s.kids:,} · {s.seniors:,}"),
        (f"Registered ({s.walkups:,} walk-ups)", f"{s.registered:,}"),
        (
            f"Arrivals{busiest}",
            f"{_clock(s.first_arrival)}–{_clock(s.last_arrival)}" if s.first_arrival else "none",
        ),
        (
            f"Scans ({s.unique_scans:,} unique, {s.repeat_scans:,} repeats, "
            f"{s.failed_scans:,} failed)",
            f"{s.scans:,}",
        ),
    )
    charts = []
    if s.arrivals:
        labels = [_clock(b.start) for b in s.arrivals]
        charts.append(
            column_chart(
                labels,
                [
                    ("households", [b.households for b in s.arrivals], _named(SOLID, "households")),
                    ("people", [b.people for b in s.arrivals], _named(HATCHED, "people")),
                ],
                width=PAGE_WIDTH,
                height=190,
                title="Arrivals per 15 minutes",
                label_every=max(1, len(labels) // 16 + (1 if len(labels) % 16 else 0)),
            )
        )
    if s.tickets:
        charts.append(
            bar_chart(
                [
                    (
                        t.name,
                        [t.issued, t.redeemed],
                        ("" if t.stock_left is None else f"{t.stock_left:,} of {t.stock:,} left")
                        + (f"; +{t.paper_tally:,} on paper" if t.paper_tally else ""),
                    )
                    for t in s.tickets
                ],
                [("handed out", HATCHED), ("redeemed", SOLID)],
                width=PAGE_WIDTH,
                title="Tickets and resources",
            )
        )
    tables = [_zips(s), _heard(s), _tickets(s), _raffle(s), _scans(s)]
    if s.paper_tallies:
        tables.append(
            Table(
                "Counted on paper",
                ("Counts", "Total", "Tally sheets"),
                tuple((p.counts, f"{p.total:,}", str(p.sheets)) for p in s.paper_tallies),
                "Entered afterwards from the paper fallback sheets; not included in the "
                "scanned figures above.",
            )
        )
    record = (
        f"Contact consent withdrawn: {s.contact_withdrawn:,} households (their phone and email "
        "were removed and are in no export).",
        f"Audit record: {s.audit_entries:,} entries up to the end of the event.",
        f"Head hash: {s.audit_head or '-'}",
        'Compare it with the "event record" line of `checkin verify` on the event file '
        "handed over: any change to the record up to the end of the event changes it.",
    )
    subtitle = " · ".join(part for part in (_date(s), s.location) if part)
    return ReportContent(
        s.event, subtitle, headline, tuple(charts), tuple(t for t in tables if t), record
    )


def _named(series: Series, name: str) -> Series:
    return Series(name, series.fill, series.hatch)


def _zips(s: Summary) -> Table:
    shown = s.zip_codes[:ZIP_ROWS]
    rows = [
        (
            z.zip_code or "not given",
            f"{z.households:,}",
            f"{z.people:,}",
            _pct(z.households, s.households_checked_in),
        )
        for z in shown
    ]
    rest = s.zip_codes[ZIP_ROWS:]
    if rest:
        households = sum(z.households for z in rest)
        rows.append(
            (
                f"{len(rest)} other zip codes",
                f"{households:,}",
                f"{sum(z.people for z in rest):,}",
                _pct(households, s.households_checked_in),
            )
        )
    return Table("Zip codes", ("Zip code", "Households", "People", "Share"), tuple(rows))


def _heard(s: Summary) -> Table:
    rows = tuple(
        (h.label or "not given", f"{h.households:,}", _pct(h.households, s.households_checked_in))
        for h in s.heard_about
    )
    note = ""
    if s.campaigns:
        note = "Flyer campaigns (registered / came): " + ", ".join(
            f"{c.name} {c.registered}/{c.checked_in}" for c in s.campaigns
        )
    return Table("How people heard about the event", ("Source", "Households", "Share"), rows, note)


def _tickets(s: Summary) -> Table:
    rows = tuple(
        (
            t.name,
            f"{t.issued:,}",
            f"{t.bound:,}",
            f"{t.redeemed:,}",
            f"{t.void:,}",
            "-" if t.stock_left is None else f"{t.stock_left:,}",
        )
        for t in s.tickets
    )
    return Table(
        "Tickets",
        ("Type", "Handed out", "of which pre-printed", "Redeemed", "Cancelled", "Stock left"),
        rows,
    )


def _raffle(s: Summary) -> Table:
    winners: dict[str, list[str]] = {}
    for d in s.draws:
        mark = {
            DrawState.CLAIMED: "claimed",
            DrawState.REDRAWN: "no-show, redrawn",
            DrawState.DRAWN: "not yet claimed",
        }
        winners.setdefault(d.prize, []).append(
            f"No. {d.serial if d.serial is not None else '?'} ({mark.get(d.state, d.state)})"
        )
    rows = tuple(
        (
            p.name + (f" ({p.sponsor})" if p.sponsor else ""),
            str(p.quantity),
            str(p.drawn),
            str(p.claimed),
            str(p.redrawn),
            ", ".join(winners.get(p.name, [])) or "-",
        )
        for p in s.prizes
    )
    return Table(
        "Raffle",
        ("Prize", "Qty", "Drawn", "Claimed", "Redrawn", "Winning tickets"),
        rows,
        "Winners are shown by raffle ticket number only." if rows else "",
    )


def _scans(s: Summary) -> Table:
    rows = tuple(
        (state.replace("_", " "), f"{n:,}") for state, n in s.failed_scans_by_state.items()
    )
    return Table(
        "Failed scans",
        ("Why", "Scans"),
        rows or (("none", "0"),),
        f"{s.scans:,} scans in all: {s.unique_scans:,} unique, {s.repeat_scans:,} repeats "
        "(a scanner firing twice: answered again, counted once).",
    )
