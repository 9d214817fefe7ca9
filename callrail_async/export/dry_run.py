"""What an export would do, without doing it: its plan, request count and expected time."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .options import ExportOptions
from .plan import Planner

if TYPE_CHECKING:
    from ..client import CallRail


@dataclass(frozen=True)
class ExportPlan:
    """An export's plan: its slices, and what walking and checking them will cost.

    ``records`` and ``requests`` are known for calls with dates (planned from CallRail's
    daily counts), else ``None``; ``seconds`` is the rate limiter's estimate for
    ``requests`` from the current budget (latency excluded).
    """

    resource: str
    slices: list[str]
    records: int | None
    requests: int | None
    seconds: float | None

    def summary(self) -> str:
        """A few lines for a person."""
        lines = [f"plan: {self.resource}, {len(self.slices)} slice(s)"]
        lines += [f"  {label}" for label in self.slices[:20]]
        if len(self.slices) > 20:
            lines.append(f"  ... and {len(self.slices) - 20} more")
        if self.records is not None:
            lines.append(f"records: about {self.records:,} (CallRail's daily counts)")
        if self.requests is not None:
            lines.append(f"requests: about {self.requests:,} (the walk, then the check)")
        if self.seconds is not None:
            lines.append(f"expected wait for the rate budget: {self.seconds:,.0f} s")
        return "\n".join(lines)


async def plan_export(client: CallRail, options: ExportOptions) -> ExportPlan:
    """Plan ``options`` as :func:`export` would, sending only the counting requests (daily
    time series for calls with dates, the company list for per-company resources).
    Nothing is written."""
    options = dataclasses.replace(options, resume=False)
    options.validate()
    plan = await Planner(client, options, None).plan()
    labels = [
        s.label or ", ".join(f"{k}={v}" for k, v in s.key.items()) for s in plan.slices.values()
    ]
    records = plan.state.planned_records
    requests = None
    if records is not None:
        walk = math.ceil(records / options.per_page) + len(plan.slices)
        requests = walk * (2 if options.verify == "ids" else 1)
    seconds = None if requests is None else await client.rate_limit_estimate(requests)
    return ExportPlan(options.resource, labels, records, requests, seconds)
