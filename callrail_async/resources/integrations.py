"""Integrations: list (per company)."""

from __future__ import annotations

from collections.abc import Iterable

from .. import _validate
from ..models import Integration
from ..pagination import AsyncPaginator
from ._base import Resource

INTEGRATION_FIELDS = frozenset({"signing_key"})


class IntegrationsResource(Resource):
    """A company's integrations (webhooks, cookie capture, ...)."""

    def list(
        self,
        *,
        company_id: str,
        fields: Iterable[str] | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Integration]:
        """List a company's integrations (``GET integrations.json?company_id=``; required)."""
        if company_id is None:
            raise ValueError("company_id is required to list integrations")
        params = {
            "company_id": _validate.resource_id("company_id", company_id, "COM"),
            "fields": _validate.field_list(fields, INTEGRATION_FIELDS),
        }
        return self._list(
            "integrations.json",
            Integration,
            "integrations",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )
