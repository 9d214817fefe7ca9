"""Which account a client works in: the one given, or the only one its key can see."""

from __future__ import annotations

import asyncio

from ._transport import Transport
from .errors import (
    APIError,
    CallRailError,
    ConfigurationError,
    RequestTimeoutError,
    ResponseDecodeError,
)
from .models import Account
from .pagination import envelope_decoder


class AccountDiscovery:
    """The account of the clients of one family (one ``CallRail(...)`` and the clients
    derived from it) for one account and Maton connection, so that discovery
    (``GET a.json``) happens once for all of them; a failed one fails the calls that waited
    for it (not once per call in turn), and the next call asks again."""

    def __init__(self, account_id: str | None) -> None:
        self.id = account_id
        self._lock = asyncio.Lock()
        self._failures = 0  # discoveries that failed: the calls waiting get the last answer
        self._failure: CallRailError | None = None

    async def resolve(self, transport: Transport, total_timeout: float | None) -> str:
        """The account id, discovering it through ``transport`` if it is not known yet;
        waiting for another client's discovery counts against ``total_timeout``."""
        if self.id is not None:
            return self.id
        failures = self._failures
        await self._turn(transport, total_timeout)
        try:
            if self.id is None:
                if self._failures != failures and self._failure is not None:
                    raise self._failure  # the discovery this call waited for: its answer
                try:
                    self.id = await _discover(transport)
                except (APIError, ResponseDecodeError, ConfigurationError) as exc:
                    # The server's answer about this key, shared with the calls waiting;
                    # a timeout or a closed client is the discovering client's own.
                    self._failures, self._failure = self._failures + 1, exc
                    raise
        finally:
            self._lock.release()
        return self.id

    async def _turn(self, transport: Transport, total: float | None) -> None:
        try:
            async with asyncio.timeout(total):
                await self._lock.acquire()
        except TimeoutError:
            assert total is not None
            url = str(transport.url_for("a.json"))
            raise RequestTimeoutError(
                phase="account discovery", timeout=total, total=True, method="GET", url=url
            ) from None


async def _discover(transport: Transport) -> str:
    decode = envelope_decoder(Account, "accounts")
    page = await transport.request("GET", "a.json", decode, params=[("per_page", "250")])
    count = page.total_records if page.total_records is not None else len(page.items)
    if count == 0 or not page.items:
        raise ConfigurationError(
            "this API key can see no CallRail account; check the key's user in CallRail"
        )
    if count > 1:
        shown = ", ".join(f"{a.id} ({a.name})" for a in page.items[:10])
        raise ConfigurationError(
            f"this API key can see {count} accounts ({shown}); pass account_id= to choose one"
        )
    return str(page.items[0].id)
