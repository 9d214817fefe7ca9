"""The call report: typed results for notebooks, JSON for other tools, one HTML file to share.

::

    from callrail_async.report import report_from_api, render_html

    report = await report_from_api(client, date_range="last_30_days")
    report.totals.answered, report.by_source[0].leads   # typed results
    Path("report.html").write_text(render_html(report))

``report_from_duckdb("callrail.duckdb")`` builds the same report from the database that
``callrail-async sync`` writes (needs the ``duckdb`` extra).
"""

from .api_source import RequestPlan, report_from_api
from .duckdb_source import report_from_duckdb
from .html_page import render_html
from .model import CallReport, Day, Group, TagCount, Totals, TrackingNumber, to_json

__all__ = [
    "CallReport",
    "Day",
    "Group",
    "RequestPlan",
    "TagCount",
    "Totals",
    "TrackingNumber",
    "render_html",
    "report_from_api",
    "report_from_duckdb",
    "to_json",
]
