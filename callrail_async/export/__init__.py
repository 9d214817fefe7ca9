"""Bulk export: lossless (records written as CallRail sent them), resumable, incremental,
verified against CallRail's totals. The ``callrail-async export`` command is a thin layer
over :func:`export`."""

from ..dates import retention_start
from .formats import FORMATS, Format
from .runner import ExportError, ExportOptions, ExportReport, Progress, export
from .slices import RESOURCES
from .windows import DateWindow, monthly_windows

__all__ = [
    "FORMATS",
    "RESOURCES",
    "DateWindow",
    "ExportError",
    "ExportOptions",
    "ExportReport",
    "Format",
    "Progress",
    "export",
    "monthly_windows",
    "retention_start",
]
