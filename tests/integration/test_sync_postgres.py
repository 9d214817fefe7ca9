"""The sync into PostgreSQL: the destination is not DuckDB-only.

.ci/run starts a throwaway cluster and sets CALLRAIL_TEST_POSTGRES_DSN; without it the
test is skipped (and fails under CI=true, where it must run).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from callrail_async.testing import Sandbox

from ._sync_helpers import change_calls, postgres_state, run_sync, server_state

DSN = os.environ.get("CALLRAIL_TEST_POSTGRES_DSN")


@pytest.fixture
def dsn() -> str:
    if not DSN:
        if os.environ.get("CI") == "true":
            pytest.fail("CALLRAIL_TEST_POSTGRES_DSN is not set: .ci/run should start PostgreSQL")
        pytest.skip("no PostgreSQL: set CALLRAIL_TEST_POSTGRES_DSN (.ci/run starts one)")
    pytest.importorskip("psycopg2", reason="the Postgres test needs psycopg2-binary")
    return DSN


async def test_two_runs_into_postgres_give_the_servers_state(dsn: str, tmp_path: Path) -> None:
    dataset = "callrail_" + uuid.uuid4().hex[:8]  # a schema of its own: runs never collide
    async with Sandbox(calls=500, accounts=2, span_days=20, seed=11) as sandbox:
        await run_sync(sandbox, dsn, tmp_path / "work", dataset=dataset)
        assert postgres_state(dsn, dataset) == await server_state(sandbox)
        await change_calls(sandbox, 1, 7.0)
        await run_sync(sandbox, dsn, tmp_path / "work", dataset=dataset)
        assert postgres_state(dsn, dataset) == await server_state(sandbox)
