"""What every resource shares: endpoints, account-scoped paths, listing, getting and writing.

A resource module states each endpoint once, as an :class:`Endpoint` (HTTP method and path
template); its method is marked with it and hands it, with the validated path parameters,
to one of the helpers here. The request, decoding and pagination all happen here and below.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter
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


HttpMethod = Literal["GET", "POST", "PUT", "DELETE"]


@dataclass(frozen=True)
class Endpoint:
    """One CallRail endpoint: its HTTP method and its path template below ``/v3/``
    (``a/{aid}/tags/{tag_id}.json``), or below the gateway root when it starts with ``/``.

    ``{aid}`` is the client's account; every other placeholder is filled from the
    resource method's validated ids. The template is what the README's endpoint table and
    telemetry show, so it is written exactly as CallRail documents the path.
    """

    method: HttpMethod
    template: str
    placeholders: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = frozenset(name for _, name, _, _ in Formatter().parse(self.template) if name)
        object.__setattr__(self, "placeholders", names)

    @property
    def account_scoped(self) -> bool:
        """Whether the path is below the client's account (``a/{aid}/...``)."""
        return "aid" in self.placeholders

    def path(self, **params: str) -> str:
        """The template filled with ``params``: exactly its placeholders, already validated
        (a missing or extra one is a bug in the SDK, not in the caller's input)."""
        if params.keys() != self.placeholders:
            raise TypeError(
                f"{self.method} {self.template} takes {sorted(self.placeholders)}, "
                f"got {sorted(params)}"
            )
        return self.template.format_map(params)

    def require(self, *methods: HttpMethod) -> None:
        """Refuse (``TypeError``, an SDK bug) to send this endpoint as another kind of request."""
        if self.method not in methods:
            raise TypeError(f"{self.method} {self.template} is not a {'/'.join(methods)} request")


def endpoint(target: Endpoint) -> Callable[[F], F]:
    """Mark a resource method with the endpoint it calls: the README's endpoint table and
    the telemetry templates are read from these marks."""

    def mark(function: F) -> F:
        function.__callrail_endpoint__ = target  # type: ignore[attr-defined]
        return function

    return mark


def marked_endpoints(cls: type) -> list[tuple[str, Endpoint]]:
    """``(method name, Endpoint)`` for every method of ``cls`` marked with :func:`endpoint`."""
    found = []
    for name, function in inspect.getmembers(cls, inspect.isfunction):
        mark: Endpoint | None = getattr(function, "__callrail_endpoint__", None)
        if mark is not None:
            found.append((name, mark))
    return found


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
    ``"required"`` (CallRail lists it per company only: listing without ``company_id``
    raises :class:`InvalidArgumentError`) or ``"none"`` (no company filter). The listing
    helper, the export and the sync read it; declare it where it differs."""

    def __init__(self, transport: Transport, account: AccountResolver, page_concurrency: int):
        self._transport = transport
        self._account = account
        self._page_concurrency = page_concurrency

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    async def _path(self, target: Endpoint, path: Mapping[str, str]) -> str:
        if target.account_scoped:
            return target.path(aid=await self._account(), **path)
        return target.path(**path)

    def _list(
        self,
        target: Endpoint,
        model: type[T],
        key: str,
        params: Mapping[str, _protocol.QueryValue],
        *,
        per_page: int | None,
        max_items: int | None,
        concurrency: int | None = None,
        relative: bool = False,
        windowed: bool = False,
        **path: str,
    ) -> AsyncPaginator[T]:
        """A paginator over a GET ``target``; validation happens now, requests on iteration."""
        target.require("GET")
        if self.company_scope == "required" and params.get("company_id") is None:
            listed = target.template.rsplit("/", 1)[-1].removesuffix(".json")
            raise InvalidArgumentError(f"company_id is required to list {listed}")
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

            async def get(params: _protocol.Query) -> Page[Any]:
                url = await self._path(target, path)
                return await transport.request("GET", url, decode, params=params)

            async def numbered(page: int) -> Page[Any]:
                return await get([*query, ("page", str(page))])

            if windowed:

                async def span(wanted: SpanQuery) -> Page[Any]:
                    return await get(span_params(query, wanted))

                return KeysetWindows(span, options.per_page or 100)
            if not relative:
                return OffsetPages(numbered)

            async def first() -> Page[Any]:
                return await get(query)

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

    async def _get(
        self,
        target: Endpoint,
        model: type[T],
        params: Mapping[str, _protocol.QueryValue] | None = None,
        **path: str,
    ) -> T:
        target.require("GET")
        query = _protocol.encode_query(params) if params else None
        url = await self._path(target, path)
        return await self._transport.request("GET", url, json_decoder(model), params=query)

    async def _write(
        self,
        target: Endpoint,
        model: type[T],
        body: object,
        *,
        rate_class: RateClass = "general",
        params: Mapping[str, _protocol.QueryValue] | None = None,
        **path: str,
    ) -> T:
        decode = json_decoder(model)
        return await self._send(target, decode, body, rate_class=rate_class, params=params, **path)

    async def _send(
        self,
        target: Endpoint,
        decode: Callable[[bytes], T],
        body: object,
        *,
        rate_class: RateClass = "general",
        params: Mapping[str, _protocol.QueryValue] | None = None,
        **path: str,
    ) -> T:
        target.require("POST", "PUT")
        query = _protocol.encode_query(params) if params else None
        url = await self._path(target, path)
        return await self._transport.request(
            target.method, url, decode, json=body, rate_class=rate_class, params=query
        )

    async def _delete(self, target: Endpoint, **path: str) -> None:
        target.require("DELETE")
        await self._transport.request("DELETE", await self._path(target, path), decode_nothing)

    async def _download(self, target: Endpoint, destination: Path, **path: str) -> int:
        """Stream a GET ``target``'s body to ``destination``; returns the bytes written."""
        target.require("GET")
        url = self._transport.url_for(await self._path(target, path))
        return await self._transport.download(url, destination)
