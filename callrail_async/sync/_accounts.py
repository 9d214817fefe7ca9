"""Which accounts a sync covers, and one client per account sharing one session and limiter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ..client import CallRail
from ..errors import ConfigurationError

__all__ = ["AccountSelection", "account_clients"]

AccountSelection = Literal["all"] | Sequence[str]
"""``"all"``: every account the key sees (every ACTIVE Maton connection in gateway mode);
or explicit account ids (``ACC…``)."""


async def account_clients(
    client: CallRail, accounts: AccountSelection
) -> list[tuple[str, CallRail]]:
    """``(account_id, client)`` per account, each client sharing ``client``'s HTTP session
    and rate limiter (so each account spends its own budget, and a shared store shares it
    with other processes)."""
    if accounts != "all":
        ids = [accounts] if isinstance(accounts, str) else list(accounts)
        if not ids:
            raise ConfigurationError("accounts must be 'all' or a non-empty list of account ids")
        return [(str(a), client.for_account(a)) for a in dict.fromkeys(ids)]
    if client.mode == "maton":
        result = []
        for connection in await client.connections.list(status="ACTIVE"):
            per = client.with_connection(connection.connection_id)
            result.append((await per.resolve_account_id(), per))
        return result
    return [
        (str(account.id), client.for_account(account.id))
        async for account in client.accounts.list()
    ]
