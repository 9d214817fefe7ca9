"""Bulk export: lossless (records written as CallRail sent them), resumable, incremental,
verified id by id after the walk. The ``callrail-async export`` command is a thin layer
over :func:`export`."""

from ..dates import retention_start
from .dry_run import ExportPlan, plan_export
from .errors import ExportError
from .formats import FORMATS, SUFFIXES, Format, format_for
from .options import ExportOptions
from .report import ExportReport, Progress
from .runner import export
from .slices import RESOURCES
from .windows import DateWindow, monthly_windows

__all__ = [
    "FORMATS",
    "RESOURCES",
    "SUFFIXES",
    "DateWindow",
    "ExportError",
    "ExportOptions",
    "ExportPlan",
    "ExportReport",
    "Format",
    "Progress",
    "export",
    "format_for",
    "monthly_windows",
    "plan_export",
    "retention_start",
]
