"""The report as one self-contained HTML page: inline CSS and SVG, no script, no fetch.

A Content-Security-Policy meta tag forbids every load but inline styles and ``data:``
images, so even a future edit that links a font or a script cannot reach the network.
Each chart has its numbers in a collapsed ``<details>`` table beneath it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from . import svg
from .model import CallReport, Group

__all__ = ["CSP", "render_html"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
CHART_ROWS = 12
TABLE_ROWS = 100
CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f8fafc;color:#0f172a;
 font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1040px;margin:0 auto;padding:28px 24px 40px}
header{display:flex;justify-content:space-between;align-items:flex-end;gap:16px;
 border-bottom:1px solid #e2e8f0;padding-bottom:14px;margin-bottom:20px}
h1{font-size:24px;margin:0 0 2px;letter-spacing:-.01em}
h2{font-size:15px;margin:0 0 12px}
.muted,.meta{color:#64748b}.meta{text-align:right;font-size:12px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(116px,1fr));gap:12px;
 margin-bottom:16px}
.kpi,.card{background:#fff;border:1px solid #e2e8f0;border-radius:10px}
.kpi{padding:12px 14px}.kpi b{display:block;font-size:22px;letter-spacing:-.01em}
.kpi span{color:#64748b;font-size:12px}.up{color:#15803d}.down{color:#b91c1c}
.grid{display:grid;grid-template-columns:1fr 2fr;gap:16px}
.card{padding:16px 18px;margin-bottom:16px;break-inside:avoid}
.legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12px;color:#475569;margin:4px 0 8px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
.share{display:flex;flex-direction:column;align-items:center;gap:14px}
svg{max-width:100%;height:auto;display:block}
svg text{font-family:inherit}.axis{font-size:11px;fill:#64748b}
.label{font-size:12px;fill:#334155}.value{font-size:12px;fill:#0f172a;font-weight:600}
.big{font-size:26px;font-weight:700;fill:#0f172a}
details{margin-top:10px;font-size:12px}summary{cursor:pointer;color:#2563eb}
table{border-collapse:collapse;margin-top:8px;width:100%}
th,td{padding:3px 8px;border-bottom:1px solid #f1f5f9;text-align:right}
th:first-child,td:first-child{text-align:left}caption{text-align:left;color:#64748b}
.empty{color:#64748b;font-style:italic}
footer{color:#94a3b8;font-size:12px;margin-top:8px}
@media (max-width:760px){.grid{grid-template-columns:1fr}}
@media print{body{background:#fff}}
"""


def render_html(report: CallReport) -> str:
    """The report as a complete HTML document."""
    t = report.totals
    title = f"{report.title}: {report.scope}"
    period = f"{_day(report.start_date)} &ndash; {_day(report.end_date)}"
    source = "the CallRail API" if report.data_source == "api" else "a synced DuckDB database"
    cost = f" in {report.requests} requests" if report.data_source == "api" else ""
    body = [
        f"<header><div><h1>{escape(report.title)}</h1><div class='muted'>"
        f"{escape(report.scope)} · {period} · {escape(report.time_zone)}</div></div>"
        f"<div class='meta'>Generated {report.generated_at:%Y-%m-%d %H:%M} UTC<br>"
        f"from {source}{cost}</div></header>",
        _kpis(report),
        _daily(report),
        "<div class='grid'>",
        _share(report),
        _group_card("Leads by source", report.by_source, "source", width=600),
        "</div>",
        _heatmap(report),
        _group_card("Leads by company", report.by_company, "company"),
        _tracking(report),
        _tags(report),
        f"<footer>Previous period: {_day(report.previous_start_date)} &ndash; "
        f"{_day(report.previous_end_date)}. Missed calls exclude voicemails "
        f"({t.voicemail:,} voicemails).</footer>",
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )


def _day(day: dt.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def _duration(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}m {whole % 60:02d}s" if whole >= 60 else f"{whole}s"


def _phone(number: str) -> str:
    """``+14045551234`` as CallRail formats it (``404-555-1234``); others unchanged."""
    digits = number[2:]
    if number.startswith("+1") and len(digits) == 10 and digits.isdigit():
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return number


def _kpis(report: CallReport) -> str:
    t = report.totals
    before, days = report.previous_calls, len(report.previous_days)
    trend = f"none in the {days} days before"
    if before:
        delta = (t.calls - before) / before * 100
        trend = (
            f"<em class='{'up' if delta >= 0 else 'down'}' title='{before:,} before'>"
            f"{delta:+.0f}%</em> vs the {days} days before"
        )
    cards = [
        ("Calls", f"{t.calls:,}", trend),
        ("Answered", _pct(t.answered, t.calls), f"{t.answered:,} calls"),
        ("Missed", _pct(t.missed, t.calls), f"{t.missed:,} calls"),
        ("Voicemail", _pct(t.voicemail, t.calls), f"{t.voicemail:,} calls"),
        (
            "First-time",
            f"{t.first_time_callers:,}",
            f"callers, {_pct(t.first_time_callers, t.calls)}",
        ),
        ("Leads", f"{t.leads:,}", f"{_pct(t.leads, t.calls)} of calls"),
        ("Avg. duration", _duration(t.average_duration), "per call"),
    ]
    return (
        "<section class='kpis' aria-label='Headline figures'>"
        + "".join(
            f"<div class='kpi'><span>{name}</span><b>{value}</b><span>{note}</span></div>"
            for name, value, note in cards
        )
        + "</section>"
    )


def _table(
    key: str,
    caption: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    limit: int | None = TABLE_ROWS,
) -> str:
    shown = rows[:limit]
    more = len(rows) - len(shown)
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in headers)
    lines = "".join(
        "<tr>"
        + f"<th scope='row'>{escape(str(row[0]))}</th>"
        + "".join(f"<td>{_cell(c)}</td>" for c in row[1:])
        + "</tr>"
        for row in shown
    )
    note = f"<p class='muted'>… and {more:,} more rows.</p>" if more > 0 else ""
    return (
        f"<details><summary>Show the numbers</summary><table id='numbers-{key}'>"
        f"<caption>{escape(caption)}"
        f"</caption><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table>{note}"
        "</details>"
    )


def _cell(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else escape(str(value))


def _card(title: str, content: str, *, extra: str = "") -> str:
    return f"<section class='card'{extra}><h2>{escape(title)}</h2>{content}</section>"


def _legend(*items: tuple[str, str, str]) -> str:
    spans = "".join(
        f"<span><i style='background:{c};opacity:{o}'></i>{escape(n)}</span>" for n, c, o in items
    )
    return f"<div class='legend'>{spans}</div>"


def _daily(report: CallReport) -> str:
    days = [d.date for d in report.days]
    current = [d.calls for d in report.days]
    previous = [d.calls for d in report.previous_days]
    chart = svg.line_chart("Calls per day", days, current, previous)
    rows = [
        (d.date.isoformat(), d.calls, p.calls, d.answered, d.first_time_callers, d.leads)
        for d, p in zip(report.days, report.previous_days, strict=True)
    ]
    legend = _legend(("This period", svg.BLUE, "1"), ("Previous period", svg.GRAY, "1"))
    table = _table(
        "daily",
        "Calls per day",
        ["Day", "Calls", "Previous period", "Answered", "First-time", "Leads"],
        rows,
        limit=None,
    )
    return _card("Calls per day", legend + chart + table, extra=" id='daily'")


def _share(report: CallReport) -> str:
    t = report.totals
    parts = [
        ("Answered", t.answered, svg.GREEN),
        ("Missed", t.missed, svg.RED),
        ("Voicemail", t.voicemail, svg.AMBER),
    ]
    chart = svg.donut("Answered, missed and voicemail calls", parts)
    legend = "".join(
        f"<div><i style='background:{c};display:inline-block;width:10px;height:10px;"
        f"border-radius:2px;margin-right:6px'></i>{n}: <b>{v:,}</b> "
        f"<span class='muted'>{_pct(v, t.calls)}</span></div>"
        for n, v, c in parts
    )
    table = _table(
        "share",
        "Answer status",
        ["Status", "Calls", "Share"],
        [(n, v, _pct(v, t.calls)) for n, v, _ in parts],
    )
    return _card(
        "Answered, missed, voicemail",
        f"<div class='share'>{chart}<div>{legend}</div></div>{table}",
        extra=" id='share'",
    )


def _group_card(title: str, groups: Sequence[Group], name: str, *, width: int = 960) -> str:
    if not groups:
        return _card(title, "<p class='empty'>No calls in this period.</p>")
    rows = [(g.key, g.calls, g.leads) for g in groups[:CHART_ROWS]]
    chart = svg.bars(title, rows, "leads", width=width)
    legend = _legend(("Calls", svg.BLUE, "0.28"), ("Leads", svg.BLUE, "1"))
    table = _table(
        name,
        title,
        [name.capitalize(), "Calls", "Answered", "Answer rate", "First-time", "Leads"],
        [
            (g.key, g.calls, g.answered, _pct(g.answered, g.calls), g.first_time_callers, g.leads)
            for g in groups
        ],
    )
    return _card(title, legend + chart + table, extra=f" id='by-{name}'")


def _heatmap(report: CallReport) -> str:
    chart = svg.heatmap("Calls by weekday and hour", report.busiest_hours)
    rows = [(svg.WEEKDAYS[d], *report.busiest_hours[d]) for d in range(7)]
    table = _table(
        "hours", "Calls by weekday and hour", ["Day", *(f"{h:02d}" for h in range(24))], rows
    )
    zone = escape(report.time_zone)
    return _card(f"Busiest hours ({zone})", chart + table, extra=" id='hours'")


def _tracking(report: CallReport) -> str:
    numbers = report.tracking_numbers
    if not numbers:
        return _card("Top tracking numbers", "<p class='empty'>No calls in this period.</p>")
    chart = svg.bars(
        "Top tracking numbers",
        [
            (f"{_phone(n.number)} · {n.name}" if n.name else _phone(n.number), n.calls, n.leads)
            for n in numbers[:CHART_ROWS]
        ],
        "leads",
    )
    table = _table(
        "numbers",
        "Tracking numbers",
        ["Number", "Tracker", "Calls", "Answered", "Leads"],
        [(n.number, n.name or "", n.calls, n.answered, n.leads) for n in numbers],
    )
    legend = _legend(("Calls", svg.BLUE, "0.28"), ("Leads", svg.BLUE, "1"))
    return _card("Top tracking numbers", legend + chart + table, extra=" id='numbers'")


def _tags(report: CallReport) -> str:
    if not report.tags:
        return "<p class='empty' id='tags'>Tags: no tagged calls in this period.</p>"
    chart = svg.bars("Tags", [(t.name, t.calls, 0) for t in report.tags[:CHART_ROWS]], None)
    table = _table("tags", "Tags", ["Tag", "Calls"], [(t.name, t.calls) for t in report.tags])
    return _card("Tags", chart + table, extra=" id='tags'")
