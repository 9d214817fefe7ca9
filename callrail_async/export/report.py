"""What an export tells its caller: progress snapshots on the way, a report at the end."""

from __future__ import annotations

from dataclasses import dataclass, field

from .checkpoint import Checkpoint

SHOWN = 10
"""Unreconciled slices named in the summary (the report's list holds them all)."""


@dataclass
class Figures:
    """What an export has done: so far (a progress snapshot) or in all (a report)."""

    records: int = 0
    """Records in the output, earlier runs of a resumed export included."""
    run_records: int = 0
    """Records this run wrote (what a records/s figure divides)."""
    pages: int = 0
    seconds: float = 0.0
    """Seconds of this run."""
    slices: int = 0
    skipped_known: int = 0
    """Records the last ``--since-last`` run had exported (not written again)."""


@dataclass(kw_only=True)
class Progress(Figures):
    """A snapshot for progress displays."""

    expected: int | None = None
    """The planned total (CallRail's daily counts), else the slices' totals once known."""
    slices_done: int = 0
    checked: int = 0
    """Records the check after the walk has listed again so far (it lists them all)."""
    check_pages: int = 0

    @property
    def elapsed(self) -> float:
        """Seconds since this run started."""
        return self.seconds

    @classmethod
    def of(
        cls, state: Checkpoint, seconds: float, records_at_start: int, checked: int, pages: int
    ) -> Progress:
        """A snapshot of an export's checkpoint, ``seconds`` into this run, the check after
        the walk having listed ``checked`` records on ``pages`` pages."""
        expected = state.planned_records
        if expected is None:
            totals = [s.total_records for s in state.slices]
            expected = None if None in totals else sum(t or 0 for t in totals)
        return cls(
            records=state.records,
            run_records=state.records - records_at_start,
            pages=state.pages,
            seconds=seconds,
            slices=len(state.slices),
            skipped_known=sum(s.skipped for s in state.slices),
            expected=expected,
            slices_done=sum(1 for s in state.slices if s.done),
            checked=checked,
            check_pages=pages,
        )


@dataclass
class Verification:
    """What the check after the walk found (see :mod:`.verify`): ``listed`` ids in the
    fresh walks (less those the last run exported), ``present`` of them in the output,
    ``added`` (found missing and written), ``vanished`` (written, no longer listed),
    ``rewalks`` (slices walked again because their listing changed meanwhile), ``counted``
    (slices also reconciled with CallRail's daily counts), the labels of the
    ``unreconciled`` slices; ``outside`` (pages listed again holding calls outside the
    window asked for: CallRail read the dates differently); ``duplicates`` (records in the
    output repeating an id written before them: CallRail listed a call twice); ``method``
    ("ids" or "counts") and, with counts, ``by_counts`` (records reconciled by daily counts
    alone, their windows not listed again)."""

    method: str = "ids"
    listed: int = 0
    present: int = 0
    added: int = 0
    unreconciled: list[str] = field(default_factory=list)
    vanished: int = 0
    rewalks: int = 0
    by_counts: int = 0
    counted: int = 0
    outside: int = 0
    duplicates: int = 0


@dataclass(kw_only=True)
class ExportReport(Verification, Figures):
    """What an export did and what was checked.

    ``listed``: ids CallRail listed when each slice was walked again after the whole walk
    (less those the last ``--since-last`` run exported); ``present``: how many of them are
    in the output. ``verified`` is true only when every slice's fresh listing was complete,
    consistent and (for call windows) inside the window asked for, every listed id is in
    the output once, and (for call windows of whole days, when CallRail gives daily counts)
    the listing matched CallRail's daily counts.
    """

    resource: str
    output: str
    format: str
    resumed: bool = False
    state_kept: bool = False
    """Not verified, so the ``--since-last`` state was left as it was."""

    @property
    def reconciled(self) -> bool:
        """Whether every check asked for passed (ids, or with ``verify="counts"`` counts)."""
        return not self.unreconciled and self.present == self.listed and not self.duplicates

    @property
    def verified(self) -> bool:
        """Whether every slice was reconciled id by id (see the class docstring)."""
        return self.method == "ids" and self.reconciled

    def summary(self) -> str:
        """A few lines for people; each states only what was checked."""
        rate = self.run_records / self.seconds if self.seconds else 0.0
        lines = [
            f"exported {self.records:,} {self.resource} to {self.output} ({self.format}) "
            f"in {self.seconds:.1f}s: {self.pages:,} pages, {rate:,.0f} records/s",
        ]
        counts = f"; {self.counted} also matched CallRail's daily counts" if self.counted else ""
        if self.verified:
            lines.append(
                f"verified: all {self.listed:,} records CallRail listed when each slice was "
                f"walked again are in the file (ids compared, {self.slices} slices{counts})"
            )
        elif self.reconciled:
            listed = f"; all {self.listed:,} records listed again are in the file"
            lines.append(
                f"reconciled by counts: {self.by_counts:,} records match CallRail's fresh "
                f"daily counts{listed if self.listed else ''}; not verified id by id (a hidden "
                "and a late call on one day would not show: --verify ids checks ids)"
            )
        else:
            names = ", ".join(self.unreconciled[:SHOWN])
            more = len(self.unreconciled) - SHOWN
            names += f" and {more} more" if more > 0 else ""
            lines.append(
                f"NOT verified: {self.present:,} of {self.listed:,} listed records present; "
                f"not reconciled: {names or 'none'}"
            )
        if self.added:
            lines.append(f"late: {self.added} record(s) found by the check were added")
        if self.vanished:
            lines.append(
                f"vanished: {self.vanished} record(s) were written, then hidden by CallRail "
                "(e.g. marked spam) before the export finished"
            )
        if self.duplicates:
            lines.append(
                f"duplicates: {self.duplicates} record(s) in the file repeat an id written "
                "before them (CallRail listed a call in two windows)"
            )
        if self.outside:
            lines.append(
                f"outside: {self.outside} page(s) listed calls outside the window asked for "
                "(CallRail read the dates in another zone?): calls may be in no window"
            )
        if self.state_kept:
            lines.append("--since-last state not advanced: the next run covers this range again")
        if self.skipped_known:
            lines.append(f"skipped: {self.skipped_known} record(s) the last run already exported")
        return "\n".join(lines)
