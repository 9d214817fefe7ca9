"""One OS process of the shared-budget test: COUNT requests as fast as the budget allows.

    python -m tests.integration._budget_worker BASE_URL ACCOUNT STORE START COUNT
STORE is ``sqlite:PATH`` or ``redis:URL``; START is the wall time to begin at (so that
processes started one by one begin together). Prints the number of requests it completed.
"""

from __future__ import annotations

import asyncio
import sys
import time

from callrail_async import CallRail, RateLimits, Window
from callrail_async.ratelimit import BucketStore, SqliteBucketStore
from callrail_async.ratelimit.redis import RedisBucketStore

# A margin of 1 s (instead of 0.1 s) for a 3 s window: bursts of 30 requests from four
# processes, served by a sandbox sharing a loaded two-core machine, reach it up to several
# hundred ms apart (the default margin of an hour's window is 3.6 s).
LIMITS = RateLimits(general=[Window(limit=30, seconds=3.0)], maton=None, margin=1.0)


def make_store(spec: str) -> BucketStore:
    kind, _, where = spec.partition(":")
    return SqliteBucketStore(where) if kind == "sqlite" else RedisBucketStore(where)


async def main(base_url: str, account: str, store_spec: str, start: float, count: int) -> int:
    done = 0
    pending = iter(range(count))
    async with CallRail(
        api_key="sandbox-api-key",
        base_url=base_url,
        account_id=account,
        rate_limits=LIMITS,
        rate_limit_store=make_store(store_spec),
        max_retries=0,
    ) as client:

        async def worker() -> None:
            nonlocal done
            for _ in pending:
                await client.companies.list(per_page=1, max_items=1).collect()
                done += 1

        await asyncio.sleep(max(0.0, start - time.time()))
        await asyncio.gather(*(worker() for _ in range(4)))
        await client.limiter.close()  # type: ignore[attr-defined]
    return done


if __name__ == "__main__":
    url, acct, store, start, count = sys.argv[1:6]
    print(asyncio.run(main(url, acct, store, float(start), int(count))))
