"""Whatever the server sends, only our typed exceptions escape (hypothesis; aioresponses,
and a raw loopback server for compressed bodies)."""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import zlib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callrail_async import CallRail, CallRailError, ManualClock
from callrail_async._protocol import SNIPPET_LIMIT

from .conftest import load_fixture, mocked_http
from .hostile import hostile_server, replying
from .hostile import response as http_response

ACC = "ACC8154748ae6bd4e278a7cddd38a662f4f"
CALL = "CAL8154748ae6bd4e278a7cddd38a662f4f"
ANY = re.compile(r"https://api\.callrail\.com/.*")
VALID_CALL = json.dumps(load_fixture("call_get_fields.json")).encode()
VALID_PAGE = json.dumps(load_fixture("calls_list.json")).encode()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=15,
)


def mutate(data: bytes, cut: int, swap: int) -> bytes:
    """A truncated or byte-flipped version of a valid body."""
    if cut % 3 == 0:
        return data[: cut % len(data)]
    index = swap % len(data)
    return data[:index] + bytes([(data[index] + cut) % 256]) + data[index + 1 :]


NON_FINITE = [b"1e999", b"-1e999", b'"inf"', b'"-Infinity"', b'"NaN"', b'"1e309"', b"9" * 400]


def with_number(data: bytes, token: bytes, which: int) -> bytes:
    """A valid body with one of its numbers (or the first field) replaced by ``token``."""
    numbers = [m.span() for m in re.finditer(rb"(?<=: )-?\d+(\.\d+)?", data)]
    if not numbers:
        return data.replace(b": ", b": " + token + b', "_x": ', 1)
    start, end = numbers[which % len(numbers)]
    return data[:start] + token + data[end:]


def nested(depth: int, shape: int) -> bytes:
    """Arrays ``depth`` deep inside a record, a page, an error body or bare."""
    deep = b"[" * depth + b"]" * depth
    return [
        b'{"id": "CAL1", "tags": ' + deep + b"}",
        b'{"page": 1, "total_pages": 1, "calls": [' + deep + b"]}",
        b'{"error": ' + deep + b"}",
        b'{"errors": {"name": ' + deep + b"}}",
        deep,
    ][shape % 5]


bodies = st.one_of(
    st.builds(with_number, st.sampled_from([VALID_CALL, VALID_PAGE]),
              st.sampled_from(NON_FINITE), st.integers(0, 200)),
    st.builds(nested, st.integers(100, 3000), st.integers(0, 4)),
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.builds(mutate, st.sampled_from([VALID_CALL, VALID_PAGE]), st.integers(0, 10**6),
              st.integers(0, 10**6)),
    st.just(b""),
    st.just(b"<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"),
    st.just(b'{"calls": "not a list", "page": "one"}'),
    st.just(b'{"id": {"nested": true}, "start_time": 12}'),
    # Large bodies (below aioresponses' mock stream limit; truly huge ones go over loopback
    # in test_huge_bodies_over_real_http).
    st.just(b"[" + b'"x",' * 20_000 + b'"y"]'),
)  # fmt: skip
statuses = st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 406, 422, 429, 500, 502, 503])
content_types = st.sampled_from(["application/json", "text/html", "text/plain", "", "image/png"])


async def _exercise(status: int, body: bytes, content_type: str) -> None:
    async with CallRail(api_key="k", account_id=ACC, clock=ManualClock(), max_retries=0) as client:
        with mocked_http() as mock:
            mock.get(ANY, status=status, body=body, content_type=content_type, repeat=True)
            for call in (
                lambda: client.calls.get(CALL),
                lambda: client.calls.list(relative=False, max_items=5).collect(),
                lambda: client.calls.list(max_items=5).collect(),
                lambda: client.calls.summary(),
                lambda: client.calls.list(relative=False, max_items=5).raw().collect(),
            ):
                try:
                    await call()
                except CallRailError as exc:
                    for text in (getattr(exc, "message", ""), getattr(exc, "body", "")):
                        assert len(text) <= SNIPPET_LIMIT + 1


@given(status=statuses, body=bodies, content_type=content_types)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_only_typed_errors_escape(status: int, body: bytes, content_type: str) -> None:
    asyncio.run(_exercise(status, body, content_type))


async def test_huge_bodies_over_real_http() -> None:
    from aiohttp import web

    huge = b'{"calls": [' + b'"not a call",' * 400_000 + b'"x"]}'

    async def handler(request: web.Request) -> web.Response:
        status = 500 if "summary" in request.path else 200
        return web.Response(status=status, body=huge, content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}/v3/"
    try:
        async with CallRail(api_key="k", base_url=base, account_id=ACC, max_retries=0) as client:
            for call in (lambda: client.calls.list().collect(), lambda: client.calls.summary()):
                try:
                    await call()
                except CallRailError as exc:
                    assert len(str(exc)) < 3 * SNIPPET_LIMIT
                    assert len(getattr(exc, "body", "")) <= SNIPPET_LIMIT + 1
                else:
                    raise AssertionError("a 5 MB body of garbage decoded")
    finally:
        await runner.cleanup()


def compress(body: bytes, encoding: str, damage: int) -> bytes:
    """``body`` gzip- or deflate-encoded (or not, under a label that says so), maybe cut."""
    if encoding == "gzip":
        data = gzip.compress(body)
    elif encoding == "deflate":
        data = zlib.compress(body)
    else:
        data = body
    return data[: len(data) * damage // 4] if damage < 4 else data


@given(
    status=statuses,
    body=bodies | st.just(b"\0" * (3 << 20)),
    encoding=st.sampled_from(["gzip", "deflate", "gzip-label-only", "br"]),
    damage=st.integers(0, 4),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_only_typed_errors_escape_compressed_bodies(
    status: int, body: bytes, encoding: str, damage: int
) -> None:
    label = encoding.removesuffix("-label-only")
    data = compress(body, encoding, damage)
    reply = http_response(status, data, {"Content-Encoding": label})

    async def exercise() -> None:
        async with hostile_server(replying(reply)) as server:
            options: dict[str, Any] = {"max_retries": 0, "max_body_bytes": 1 << 20, "timeout": 5}
            async with CallRail(
                api_key="k", account_id=ACC, base_url=server.base_url, **options
            ) as client:
                for call in (
                    lambda: client.calls.get(CALL),
                    lambda: client.calls.list(relative=False, max_items=5).collect(),
                ):
                    try:
                        await call()
                    except CallRailError as exc:
                        assert len(str(exc)) < 3 * SNIPPET_LIMIT

    asyncio.run(exercise())
