"""One OS process of the shared-budget test: hammer the sandbox until a deadline.

    python -m tests.integration._budget_worker BASE_URL ACCOUNT STORE DEADLINE
STORE is ``sqlite:PATH`` or ``redis:URL``. Prints the number of requests it completed.
"""

from __future__ import annotations

import asyncio
import sys
import time

from callrail_async import CallRail, RateLimits, Window
from callrail_async.ratelimit import BucketStore, SqliteBucketStore
from callrail_async.ratelimit.redis import RedisBucketStore

LIMITS = RateLimits(general=[Window(limit=30, seconds=3.0)], maton=None)


def make_store(spec: str) -> BucketStore:
    kind, _, where = spec.partition(":")
    return SqliteBucketStore(where) if kind == "sqlite" else RedisBucketStore(where)


async def main(base_url: str, account: str, store_spec: str, deadline: float) -> int:
    done = 0
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
            while time.time() < deadline:
                await client.companies.list(per_page=1, max_items=1).collect()
                done += 1

        await asyncio.gather(*(worker() for _ in range(4)))
        await client.limiter.close()  # type: ignore[attr-defined]
    return done


if __name__ == "__main__":
    url, acct, store, end = sys.argv[1:5]
    print(asyncio.run(main(url, acct, store, float(end))))
