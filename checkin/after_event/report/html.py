"""The report as one self-contained HTML file: inline CSS and SVG charts, nothing fetched."""

from __future__ import annotations

from html import escape

from checkin.after_event.report.charts import Box, Chart, Label, Line, hatch_lines
from checkin.after_event.report.content import ReportContent, Table

CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #000; background: #fff;
       max-width: 760px; margin: 1.5em auto; padding: 0 1em; font-size: 13px; }
h1 { font-size: 24px; margin: 0; } h2 { font-size: 15px; margin: 1.2em 0 .3em; }
.subtitle { margin: .2em 0 1em; }
.headline { display: grid; grid-template-columns: repeat(3, 1fr); border: 1.5px solid #000; }
.headline div { padding: .4em .6em; border: .5px solid #aaa; }
.headline b { display: block; font-size: 20px; }
table { border-collapse: collapse; margin: .2em 0; }
th { background: #d9d9d9; text-align: left; border-bottom: 1.5px solid #000; }
th, td { padding: 2px 10px 2px 4px; } td { border-bottom: .5px solid #999; }
.note { font-size: 11px; } .hash { font-family: monospace; word-break: break-all; }
svg { display: block; margin: .8em 0; max-width: 100%; height: auto; }
@media print { body { margin: 0; } }
"""


def _svg(chart: Chart) -> str:
    h = chart.height

    def line(shape: Line) -> str:
        grey = round(shape.grey * 255)
        return (
            f'<line x1="{shape.x1:.1f}" y1="{h - shape.y1:.1f}" x2="{shape.x2:.1f}" '
            f'y2="{h - shape.y2:.1f}" stroke="rgb({grey},{grey},{grey})" '
            f'stroke-width="{shape.width}"/>'
        )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{chart.width:.0f}" '
        f'height="{chart.height:.0f}" viewBox="0 0 {chart.width:.0f} {chart.height:.0f}" '
        f'role="img" aria-label="{escape(chart.description)}">',
        f"<title>{escape(chart.description)}</title>",
    ]
    for shape in chart.shapes:
        if isinstance(shape, Box):
            grey = round(shape.fill * 255)
            parts.append(
                f'<rect x="{shape.x:.1f}" y="{h - shape.y - shape.h:.1f}" width="{shape.w:.1f}" '
                f'height="{shape.h:.1f}" fill="rgb({grey},{grey},{grey})" stroke="#000" '
                'stroke-width="0.6"/>'
            )
            if shape.hatch:
                parts.extend(line(each) for each in hatch_lines(shape))
        elif isinstance(shape, Line):
            parts.append(line(shape))
        elif isinstance(shape, Label):
            weight = ' font-weight="bold"' if shape.bold else ""
            parts.append(
                f'<text x="{shape.x:.1f}" y="{h - shape.y:.1f}" font-size="{shape.size}" '
                f'text-anchor="{shape.anchor}"{weight}>{escape(shape.text)}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts)


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table.rows
    )
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    return (
        f"<h2>{escape(table.title)}</h2>\n<table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>{note}"
    )


def render_html(content: ReportContent) -> str:
    headline = "".join(
        f"<div><b>{escape(value)}</b>{escape(label)}</div>" for label, value in content.headline
    )
    record = "".join(
        f'<p class="{"hash" if "hash:" in line else "note"}">{escape(line)}</p>'
        for line in content.record
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{escape(content.title)}: event report</title>",
            f"<style>{CSS}</style></head><body>",
            f"<h1>{escape(content.title)}</h1>",
            f'<p class="subtitle">{escape(content.subtitle)}</p>' if content.subtitle else "",
            f'<div class="headline">{headline}</div>',
            *(_svg(chart) for chart in content.charts),
            *(_table(table) for table in content.tables),
            f"<h2>Accountability record</h2>{record}",
            "</body></html>",
        ]
    )
