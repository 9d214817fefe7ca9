"""Window logs in Redis: one budget shared by workers on many machines.

Needs the ``redis`` package (``pip install 'callrail-async[redis]'``). Each window's log is a
sorted set of admission times; every admission is one atomic Lua script over all of the
request's windows. Times come from the caller's clock, so machines sharing a budget need
synchronised clocks (NTP); skew up to the safety margin is absorbed, and a log whose newest
entry is in the future (a clock stepped back) is shifted back instead of blocking.
"""

from __future__ import annotations

import itertools
import math
import uuid
from collections.abc import Sequence
from typing import Any

import anyio

from ..errors import ConfigurationError, RateLimitStoreError
from ._store import CLOCK_STEP_TOLERANCE, EPSILON
from .limits import WindowSpec

__all__ = ["RedisBucketStore"]

# KEYS: one sorted set per window. ARGV: mode ("take" | "pause" | "peek"), now, pause seconds,
# a member id unique to this call, then limit and span per key. Numbers travel as strings
# (Redis truncates Lua numbers to integers). TTLs derive from spans, which are finite.
_SCRIPT = """
local mode, now, pause, id = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local eps, tolerance = tonumber(ARGV[5]), tonumber(ARGV[6])
local function num(x) return string.format('%.17g', x) end
local wait, counts, out = 0, {}, {}
for i = 1, #KEYS do
  local key, limit, span = KEYS[i], tonumber(ARGV[5 + 2 * i]), tonumber(ARGV[6 + 2 * i])
  local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if newest[2] and tonumber(newest[2]) > now + tolerance then
    local shift = now - tonumber(newest[2])
    local all = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
    for j = 1, #all, 2 do redis.call('ZADD', key, num(tonumber(all[j + 1]) + shift), all[j]) end
  end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', num(now - span + eps))
  local n = redis.call('ZCARD', key)
  counts[i] = n
  if mode == 'take' and n >= limit then
    local oldest = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) + span - now, eps)
  elseif mode == 'pause' then
    -- The log as if the window were spent evenly (see _store.paused_log).
    local wait = math.min(math.max(pause, 0), span)
    local first, gap = now + wait - span, math.min(span / limit, wait)
    local live = redis.call('ZRANGE', key, math.max(0, n - limit), -1, 'WITHSCORES')
    local offset = limit - #live / 2
    redis.call('DEL', key)
    local previous = nil
    for j = 0, limit - 1 do
      local stamp, member = first + j * gap, id .. ':' .. j
      if j >= offset then
        local k = 2 * (j - offset) + 1
        stamp, member = math.max(stamp, tonumber(live[k + 1])), live[k]
        if previous then stamp = math.max(stamp, previous + gap) end
      end
      stamp = math.min(now, stamp)
      previous = stamp
      redis.call('ZADD', key, num(stamp), member)
    end
  elseif mode == 'peek' then
    local log = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
    local scores = {}
    for j = 2, #log, 2 do scores[#scores + 1] = log[j] end
    out[i] = scores
  end
  redis.call('PEXPIRE', key, math.ceil(span * 1000) + 60000)
end
if mode == 'peek' then return out end
if wait > 0 then return num(wait) end
if mode == 'take' then
  for i = 1, #KEYS do redis.call('ZADD', KEYS[i], num(now), id) end
end
return '0'
"""


class RedisBucketStore:
    """Window logs in Redis, updated by an atomic Lua script.

    ``RedisBucketStore("redis://127.0.0.1:6379/0")`` or with an existing
    ``redis.asyncio.Redis`` client. Keys are prefixed with ``prefix``. Every call is bounded
    by ``timeout`` seconds; an unreachable or silent server, or any Redis error, raises
    :class:`~callrail_async.errors.RateLimitStoreError`.
    """

    shared = True

    def __init__(
        self, url_or_client: Any, *, prefix: str = "callrail_async:", timeout: float = 5.0
    ) -> None:
        try:
            import redis.asyncio as redis_asyncio
            from redis.exceptions import RedisError
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "RedisBucketStore needs the redis package: pip install 'callrail-async[redis]'"
            ) from exc
        if not 0 < timeout < math.inf:
            raise ConfigurationError(f"timeout must be positive and finite, got {timeout!r}")
        if isinstance(url_or_client, str):
            self._client = redis_asyncio.Redis.from_url(
                url_or_client, socket_timeout=timeout, socket_connect_timeout=timeout
            )
            self._owns_client = True
        else:
            self._client = url_or_client
            self._owns_client = False
        self._errors: tuple[type[BaseException], ...] = (RedisError, OSError)
        self._prefix = prefix
        self._timeout = timeout
        self._script = self._client.register_script(_SCRIPT)
        self._ids = (f"{uuid.uuid4().hex[:16]}:{n}" for n in itertools.count())

    def __repr__(self) -> str:
        return f"RedisBucketStore(prefix={self._prefix!r})"

    async def _run(
        self, windows: Sequence[WindowSpec], mode: str, now: float, pause: float = 0.0
    ) -> Any:
        keys = [self._prefix + w.key for w in windows]
        args = [mode, repr(now), repr(pause), next(self._ids), repr(EPSILON)]
        args.append(repr(CLOCK_STEP_TOLERANCE))
        for window in windows:
            args += [str(window.limit), repr(window.span)]
        try:
            with anyio.fail_after(self._timeout):
                return await self._script(keys=keys, args=args)
        except TimeoutError:
            raise RateLimitStoreError(
                f"rate-limit store (Redis) did not answer within {self._timeout:g} s"
            ) from None
        except self._errors as exc:
            raise RateLimitStoreError(
                f"rate-limit store (Redis) failed: {type(exc).__name__}"
            ) from None

    async def take(self, windows: Sequence[WindowSpec], now: float) -> float:
        """See :meth:`BucketStore.take`."""
        return float(_text(await self._run(windows, "take", now)))

    async def pause(self, windows: Sequence[WindowSpec], now: float, seconds: float) -> None:
        """See :meth:`BucketStore.pause`."""
        await self._run(windows, "pause", now, seconds if math.isfinite(seconds) else 0.0)

    async def peek(self, windows: Sequence[WindowSpec], now: float) -> list[list[float]]:
        """See :meth:`BucketStore.peek`."""
        logs = await self._run(windows, "peek", now)
        return [[float(_text(score)) for score in log] for log in logs]

    async def close(self) -> None:
        """Close the client if this store created it."""
        if self._owns_client:
            await self._client.aclose()


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
