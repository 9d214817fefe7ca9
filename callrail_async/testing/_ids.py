"""Deterministic ids and values for the sandbox's seeded data."""

from __future__ import annotations

import hashlib

_MASK64 = (1 << 64) - 1


def mix(*parts: int) -> int:
    """A 64-bit hash of integers (splitmix64 over the parts); fast and deterministic."""
    x = 0x9E3779B97F4A7C15
    for part in parts:
        x = (x ^ (part & _MASK64)) & _MASK64
        x = (x + 0x9E3779B97F4A7C15) & _MASK64
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
        x ^= x >> 31
    return x


def masked_id(prefix: str, seed: int, kind: str, index: int) -> str:
    """A CallRail-style masked id: 3-letter prefix + 32 lowercase hex characters."""
    digest = hashlib.md5(f"{seed}:{kind}:{index}".encode(), usedforsecurity=False).hexdigest()
    return prefix + digest


def call_id(seed: int, account: int, index: int) -> str:
    """A call id whose last 8 hex characters encode its index (O(1) lookups at 1M calls)."""
    digest = hashlib.md5(f"{seed}:call:{account}:{index}".encode(), usedforsecurity=False)
    return f"CAL{digest.hexdigest()[:24]}{index:08x}"


def call_index(seed: int, account: int, value: str) -> int | None:
    """The index encoded in a call id, if the id is one of this account's."""
    if len(value) != 35 or not value.startswith("CAL"):
        return None
    try:
        index = int(value[-8:], 16)
    except ValueError:
        return None
    return index if call_id(seed, account, index) == value else None


def phone(seed: int, *parts: int) -> str:
    """An E.164 US phone number in a plausible (non-555-prefixed) range."""
    h = mix(seed, *parts)
    area = 201 + h % 780
    exchange = 200 + (h >> 12) % 799
    line = (h >> 24) % 10_000
    return f"+1{area}{exchange}{line:04d}"


def formatted_phone(number: str) -> str:
    """``+14045551234`` as ``404-555-1234``."""
    digits = number[-10:]
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
