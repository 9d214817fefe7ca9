"""Buckets in Redis: one budget shared by workers on many machines.

Needs the ``redis`` package (``pip install 'callrail-async[redis]'``). Every take is one
atomic Lua script over all of the request's buckets. Bucket time comes from the caller's
clock, so machines sharing a budget need synchronised clocks (NTP).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ._store import BucketState, refill
from .limits import BucketSpec

__all__ = ["RedisBucketStore"]

# KEYS: bucket keys. ARGV: now, mode ("take" | "pause"), pause_until, then capacity, rate
# for each key. Returns the wait in seconds as a string (Redis truncates Lua numbers).
_SCRIPT = """
local function num(x) return string.format('%.17g', x) end
local now = tonumber(ARGV[1])
local mode = ARGV[2]
local pause_until = tonumber(ARGV[3])
local n = #KEYS
local tokens, updated, paused = {}, {}, {}
local wait = 0
for i = 1, n do
  local capacity = tonumber(ARGV[2 + 2 * i])
  local rate = tonumber(ARGV[3 + 2 * i])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'updated', 'paused')
  local t, u, p = tonumber(state[1]), tonumber(state[2]), tonumber(state[3]) or 0
  if t == nil then
    t, u = capacity, now
  elseif now > u then
    t = math.min(capacity, t + (now - u) * rate)
    u = now
  end
  tokens[i], updated[i], paused[i] = t, u, p
  if p > now then
    wait = math.max(wait, p - now)
  elseif t < 1 - 1e-6 then
    wait = math.max(wait, (1 - t) / rate)
  end
end
if mode == 'take' and wait > 0 then
  return num(math.max(wait, 0.001))
end
for i = 1, n do
  local capacity = tonumber(ARGV[2 + 2 * i])
  local rate = tonumber(ARGV[3 + 2 * i])
  local t, p = tokens[i] - 1, paused[i]
  if mode == 'pause' then
    t, p = 0, math.max(p, pause_until)
  end
  redis.call('HSET', KEYS[i], 'tokens', num(t), 'updated', num(updated[i]), 'paused', num(p))
  local ttl = math.ceil((capacity - t) / rate + math.max(0, p - now)) + 60
  redis.call('EXPIRE', KEYS[i], ttl)
end
return '0'
"""


class RedisBucketStore:
    """Bucket state in Redis, updated by an atomic Lua script.

    ``RedisBucketStore("redis://127.0.0.1:6379/0")`` or with an existing
    ``redis.asyncio.Redis`` client. Keys are prefixed with ``prefix``.
    """

    def __init__(self, url_or_client: Any, *, prefix: str = "callrail_async:") -> None:
        try:
            import redis.asyncio as redis_asyncio
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "RedisBucketStore needs the redis package: pip install 'callrail-async[redis]'"
            ) from exc
        if isinstance(url_or_client, str):
            self._client = redis_asyncio.Redis.from_url(url_or_client)
            self._owns_client = True
        else:
            self._client = url_or_client
            self._owns_client = False
        self._prefix = prefix
        self._script = self._client.register_script(_SCRIPT)

    def __repr__(self) -> str:
        return f"RedisBucketStore(prefix={self._prefix!r})"

    async def _run(
        self, buckets: Sequence[BucketSpec], now: float, mode: str, pause_until: float
    ) -> float:
        keys = [self._prefix + b.key for b in buckets]
        args: list[str] = [repr(now), mode, repr(pause_until)]
        for bucket in buckets:
            args += [repr(bucket.capacity), repr(bucket.rate)]
        result = await self._script(keys=keys, args=args)
        wait = float(result.decode() if isinstance(result, bytes) else str(result))
        return wait if math.isfinite(wait) else 0.0

    async def take(self, buckets: Sequence[BucketSpec], now: float) -> float:
        """See :meth:`BucketStore.take`."""
        return await self._run(buckets, now, "take", 0.0)

    async def pause(self, buckets: Sequence[BucketSpec], now: float, until: float) -> None:
        """See :meth:`BucketStore.pause`."""
        await self._run(buckets, now, "pause", until)

    async def peek(self, buckets: Sequence[BucketSpec], now: float) -> list[BucketState]:
        """See :meth:`BucketStore.peek`."""
        result = []
        for bucket in buckets:
            raw = await self._client.hmget(self._prefix + bucket.key, "tokens", "updated", "paused")
            state = None
            if raw[0] is not None:
                tokens, updated, paused = (float(v) if v is not None else 0.0 for v in raw)
                state = BucketState(tokens, updated, paused)
            result.append(refill(bucket, state, now))
        return result

    async def close(self) -> None:
        """Close the client if this store created it."""
        if self._owns_client:
            await self._client.aclose()
