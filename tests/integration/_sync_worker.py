"""One OS process of the sync tests: sync every sandbox account into a DuckDB file.

    python -m tests.integration._sync_worker BASE_URL DB WORKDIR [STORE LIMIT SECONDS]

With STORE (``redis://…``), the process enforces LIMIT requests per SECONDS per account,
shared through the store with the other workers. Prints the records loaded.
"""

from __future__ import annotations

import sys

from callrail_async import RateLimits, Window
from callrail_async.ratelimit.redis import RedisBucketStore
from callrail_async.sync.command import load, pipeline
from callrail_async.sync.source import callrail_source, sync_progress


def main(argv: list[str]) -> int:
    base_url, db, workdir = argv[:3]
    options: dict[str, object] = {"api_key": "sandbox-api-key", "base_url": base_url}
    if len(argv) > 3:
        store, limit, seconds = argv[3], int(argv[4]), float(argv[5])
        # A margin for the delay between admission and arrival at the server: on a loaded
        # 2-core machine (two workers, dlt normalizing, the sandbox) it exceeds the default
        # 0.1 s, which CallRail's hour-long windows dwarf (their margin is 3.6 s).
        options["rate_limits"] = RateLimits(
            general=[Window(limit=limit, seconds=seconds)], maton=None, margin=0.5
        )
        options["rate_limit_store"] = RedisBucketStore(store)
        options["max_retries"] = 0  # a 429 fails the account: the budget must prevent it
    source = callrail_source(client_options=options, resources=["calls", "companies"])
    info = load(pipeline(f"duckdb:///{db}", workdir), source)
    print(sync_progress(source).records, flush=True)
    return 1 if sync_progress(source).failures or info.has_failed_jobs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
