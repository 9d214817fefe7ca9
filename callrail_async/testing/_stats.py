"""What the sandbox counts: one record per answered request."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestRecord:
    """One request the sandbox answered."""

    time: float
    method: str
    path: str
    endpoint: str
    account: str | None
    rate_class: str
    status: int
    fault: str | None


class Stats:
    """Counters of the requests received, per endpoint and status, and the request log."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, int]] = Counter()
        self.log: list[RequestRecord] = []

    def record(self, entry: RequestRecord) -> None:
        """Count one answered request."""
        self.counts[(entry.endpoint, entry.status)] += 1
        self.log.append(entry)

    def count(self, endpoint: str | None = None, status: int | None = None) -> int:
        """Requests answered, optionally only those of ``endpoint`` and/or ``status``."""
        return sum(
            n
            for (name, code), n in self.counts.items()
            if (endpoint is None or name == endpoint) and (status is None or code == status)
        )

    @property
    def total(self) -> int:
        """All requests answered."""
        return len(self.log)

    def reset(self) -> None:
        """Forget everything counted so far."""
        self.counts.clear()
        self.log.clear()
