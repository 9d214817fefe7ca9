"""What an export tells its caller: progress snapshots on the way, a report at the end."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Progress:
    """A snapshot for progress displays."""

    records: int
    pages: int
    expected: int | None
    elapsed: float
    slices_done: int
    slices: int


@dataclass
class ExportReport:
    """What an export did."""

    resource: str
    output: str
    format: str
    records: int = 0
    pages: int = 0
    seconds: float = 0.0
    slices: int = 0
    verified_slices: int = 0
    expected_records: int = 0
    vanished: int = 0
    rescans: int = 0
    skipped_known: int = 0
    unreconciled: list[str] = field(default_factory=list)
    resumed: bool = False

    @property
    def verified(self) -> bool:
        """Whether every slice was reconciled with CallRail's totals."""
        return not self.unreconciled

    def summary(self) -> str:
        """A few lines for people."""
        rate = self.records / self.seconds if self.seconds else 0.0
        lines = [
            f"exported {self.records:,} {self.resource} to {self.output} ({self.format}) "
            f"in {self.seconds:.1f}s: {self.pages:,} pages, {rate:,.0f} records/s",
        ]
        if self.verified:
            lines.append(
                f"verified: {self.expected_records:,} of {self.expected_records:,} records "
                f"present ({self.slices} slices reconciled with CallRail's totals)"
            )
        else:
            lines.append(f"NOT verified: could not reconcile {', '.join(self.unreconciled)}")
        if self.vanished:
            lines.append(
                f"vanished: {self.vanished} record(s) were written, then hidden by CallRail "
                "(e.g. marked spam) before the export finished"
            )
        if self.skipped_known:
            lines.append(f"skipped: {self.skipped_known} record(s) the last run already exported")
        return "\n".join(lines)
