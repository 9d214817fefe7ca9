# %% [markdown]
# # Calls of the last 30 days, by source
#
# A notebook-friendly script: each `# %%` cell runs on its own in Jupyter or VS Code, where
# top-level `await` works; `python examples/notebook.py` runs the whole thing.
# Credentials come from the environment (`CALLRAIL_API_KEY`, or `CALLRAIL_BASE_URL` and the
# key printed by `callrail-async sandbox`).

# %%
from __future__ import annotations

import asyncio

from callrail_async import CallRail
from callrail_async.models import CallSummary, CallTimeseries


async def fetch() -> tuple[CallSummary, CallTimeseries]:
    """Two requests: calls by source, and calls per day (CallRail counts, we only display)."""
    async with CallRail() as client:
        by_source = await client.calls.summary(
            group_by="source",
            fields=["total_calls", "answered_calls", "first_time_callers", "leads"],
            date_range="last_30_days",
        )
        per_day = await client.calls.timeseries(date_range="last_30_days", interval="day")
    return by_source, per_day


# %%
def show(by_source: CallSummary, per_day: CallTimeseries) -> None:
    """Print the two results as plain tables (a DataFrame works too: see the comment)."""
    # pandas.DataFrame(msgspec.to_builtins(by_source.grouped_results)) in a notebook.
    print(f"{'source':<24}{'calls':>8}{'answered':>10}{'rate':>7}{'leads':>7}")
    for group in sorted(by_source.grouped_results or [], key=lambda g: -(g.total_calls or 0)):
        calls, answered = group.total_calls or 0, group.answered_calls or 0
        rate = f"{answered / calls:.0%}" if calls else "-"
        print(f"{group.key or '?':<24}{calls:>8}{answered:>10}{rate:>7}{group.leads or 0:>7}")
    busiest = max(per_day.data or [], key=lambda p: p.total_calls or 0, default=None)
    if busiest is not None:
        print(f"\nbusiest day: {busiest.date} with {busiest.total_calls} calls")


# %%
if __name__ == "__main__":
    show(*asyncio.run(fetch()))
