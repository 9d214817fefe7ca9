"""What every resource shares: account-scoped paths, listing, getting and writing.

A resource method only states the endpoint (method, path, parameters, result type);
the request, decoding and pagination all happen here and below.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar

from .. import _protocol, _validate
from .._transport import Transport, decode_nothing
from ..errors import InvalidArgumentError
from ..keyset import KeysetWindows, SpanQuery, span_params
from ..models import decoder
from ..pagination import (
    AsyncPaginator,
    LinkPages,
    OffsetPages,
    Page,
    PageStrategy,
    envelope_decoder,
)
from ..ratelimit import RateClass

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

AccountResolver = Callable[[], Awaitable[str]]
CompanyScope = Literal["filter", "required", "none"]


def json_decoder(model: type[T]) -> Callable[[bytes], T]:
    """A decoder for ``model``, built once per type (lenient where CallRail is)."""
    return decoder(model)


def endpoint(method: str, path: str) -> Callable[[F], F]:
    """Mark a resource method with the CallRail endpoint it calls (``path`` below
    ``/v3/``): the README's endpoint table is generated from these marks."""

    def mark(function: F) -> F:
        function.__callrail_endpoint__ = (method, path)  # type: ignore[attr-defined]
        return function

    return mark


@dataclass(frozen=True)
class ListOptions:
    """How a list is paged: ``per_page`` (1..250), prefetch ``concurrency``, ``max_items``."""

    per_page: int | None = None
    concurrency: int = 4
    max_items: int | None = None

    def __post_init__(self) -> None:
        _validate.per_page(self.per_page)
        _validate.positive("concurrency", self.concurrency)
        _validate.positive("max_items", self.max_items)


class Resource:
    """Base class of the resource namespaces (``client.calls``, ``client.tags``, ...)."""

    company_scope: ClassVar[CompanyScope] = "filter"
    """How ``list()`` relates to companies: ``"filter"`` (``company_id`` optional),
    ``"required"`` (CallRail lists it per company only) or ``"none"`` (no company filter).
    The export and the sync read it; declare it where it differs."""

    account_scoped = True

    def __init__(self, transport: Transport, account: AccountResolver, page_concurrency: int):
        self._transport = transport
        self._account = account
        self._page_concurrency = page_concurrency

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    async def _path(self, suffix: str) -> str:
        if not self.account_scoped:
            return suffix
        return f"a/{await self._account()}/{suffix}"

    def _list(
        self,
        suffix: str,
        model: type[T],
        key: str,
        params: Mapping[str, _protocol.QueryValue],
        *,
        per_page: int | None,
        max_items: int | None,
        concurrency: int | None = None,
        relative: bool = False,
        windowed: bool = False,
    ) -> AsyncPaginator[T]:
        """A paginator over ``GET suffix``; validation happens now, requests on iteration."""
        options = ListOptions(
            per_page=per_page,
            concurrency=self._page_concurrency if concurrency is None else concurrency,
            max_items=max_items,
        )
        query = _protocol.encode_query({**params, "per_page": options.per_page})
        if relative:
            query.append(("relative_pagination", "true"))
        transport = self._transport

        def fetch_as(item_type: Any) -> PageStrategy[Any]:
            decode: Callable[[bytes], Page[Any]] = envelope_decoder(item_type, key)

            async def numbered(page: int) -> Page[Any]:
                path = await self._path(suffix)
                return await transport.request(
                    "GET", path, decode, params=[*query, ("page", str(page))]
                )

            if windowed:

                async def span(wanted: SpanQuery) -> Page[Any]:
                    params = span_params(query, wanted)
                    return await transport.request(
                        "GET", await self._path(suffix), decode, params=params
                    )

                return KeysetWindows(span, options.per_page or 100)
            if not relative:
                return OffsetPages(numbered)

            async def first() -> Page[Any]:
                path = await self._path(suffix)
                return await transport.request("GET", path, decode, params=query)

            async def follow(link: str) -> Page[Any]:
                url = _protocol.rebase_next_page(link, transport.base_url)
                return await transport.request("GET", url, decode)

            return LinkPages(first, follow, query)

        item_type: Any = model
        strategy: PageStrategy[T] = fetch_as(item_type)
        return AsyncPaginator(
            strategy,
            concurrency=options.concurrency,
            max_items=options.max_items,
            per_page=options.per_page,
            retype=fetch_as,
        )

    def _company_list(
        self,
        suffix: str,
        model: type[T],
        key: str,
        company_id: _validate.IdLike | None = None,
        *,
        per_page: int | None,
        max_items: int | None,
        concurrency: int | None,
    ) -> AsyncPaginator[T]:
        """A list CallRail serves only per company (``company_id`` required)."""
        if company_id is None:
            raise InvalidArgumentError(
                f"company_id is required to list {suffix.removesuffix('.json')}"
            )
        params = {"company_id": _validate.resource_id("company_id", company_id, "COM")}
        return self._list(
            suffix, model, key, params,
            per_page=per_page, max_items=max_items, concurrency=concurrency,
        )  # fmt: skip

    async def _get(
        self, suffix: str, model: type[T], params: Mapping[str, _protocol.QueryValue] | None = None
    ) -> T:
        query = _protocol.encode_query(params) if params else None
        return await self._transport.request(
            "GET", await self._path(suffix), json_decoder(model), params=query
        )

    async def _write(
        self,
        method: str,
        suffix: str,
        model: type[T],
        body: object,
        *,
        rate_class: RateClass = "general",
        params: Mapping[str, _protocol.QueryValue] | None = None,
    ) -> T:
        decode = json_decoder(model)
        return await self._send(method, suffix, decode, body, rate_class=rate_class, params=params)

    async def _send(
        self,
        method: str,
        suffix: str,
        decode: Callable[[bytes], T],
        body: object,
        *,
        rate_class: RateClass = "general",
        params: Mapping[str, _protocol.QueryValue] | None = None,
    ) -> T:
        query = _protocol.encode_query(params) if params else None
        return await self._transport.request(
            method, await self._path(suffix), decode, json=body, rate_class=rate_class, params=query
        )

    async def _delete(self, suffix: str) -> None:
        await self._transport.request("DELETE", await self._path(suffix), decode_nothing)
