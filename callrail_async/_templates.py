"""Endpoint path templates: ``a/ACC…/calls/CAL….json`` -> ``a/{aid}/calls/{call_id}.json``.

Logs, spans and metrics name an endpoint by its template, never by its path: a path carries
ids, and ids multiply the number of distinct names without telling anything more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

OTHER = "other"


class EndpointTemplates:
    """Matches concrete paths (below the API base) against known templates."""

    def __init__(self, templates: Iterable[str]) -> None:
        # Literal segments win over placeholders: ``calls/summary.json`` is not a call id.
        ordered = sorted(set(templates), key=lambda t: (t.count("{"), -len(t)))
        self._patterns = [(re.compile(_regex(t)), t) for t in ordered]
        self.template = lru_cache(maxsize=2048)(self._match)

    def _match(self, path: str) -> str:
        """The template of ``path`` (no leading slash, no query), or ``"other"``."""
        for pattern, template in self._patterns:
            if pattern.fullmatch(path):
                return template
        return OTHER


def _regex(template: str) -> str:
    parts = re.split(r"(\{[^}]+\})", template.lstrip("/"))
    return "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
