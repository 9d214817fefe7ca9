"""Pure protocol functions, on byte fixtures and no event loop."""

from __future__ import annotations

import datetime as dt

import pytest
from yarl import URL

from callrail_async import RetryPolicy, _protocol
from callrail_async.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
    UnsafeURLError,
)

from .conftest import load_fixture

MATON = URL("https://api.maton.ai/callrail/v3/")
SANDBOX = URL("http://127.0.0.1:8123/v3/")


def test_direct_auth_header_is_quoted_token() -> None:
    assert _protocol.auth_headers("direct", "abc123") == {"Authorization": 'Token token="abc123"'}


def test_maton_auth_headers_with_and_without_connection() -> None:
    assert _protocol.auth_headers("maton", "k") == {"Authorization": "Bearer k"}
    assert _protocol.auth_headers("maton", "k", "conn-1") == {
        "Authorization": "Bearer k",
        "Maton-Connection": "conn-1",
    }


def test_encode_query_rails_arrays_booleans_dates_and_none() -> None:
    query = _protocol.encode_query(
        {
            "tags": ["A", "B"],
            "answered": True,
            "spam": False,
            "start_date": dt.date(2026, 1, 2),
            "skip": None,
            "per_page": 250,
        }
    )
    assert query == [
        ("tags[]", "A"),
        ("tags[]", "B"),
        ("answered", "true"),
        ("spam", "false"),
        ("start_date", "2026-01-02"),
        ("per_page", "250"),
    ]


def test_rebase_documented_next_page_onto_maton() -> None:
    link = load_fixture("calls_relative_page.json")["next_page"]
    rebased = _protocol.rebase_next_page(link, MATON)
    assert rebased.host == "api.maton.ai"
    assert rebased.path == "/callrail/v3/a/227799611/calls"
    assert rebased.query["offset"] == "1"
    assert rebased.query["relative_pagination"] == "true"
    assert rebased.query.getall("api_sort[]") == ["start_time"]


def test_rebase_same_host_link_onto_sandbox() -> None:
    rebased = _protocol.rebase_next_page(
        "http://127.0.0.1:8123/v3/a/ACC1/calls?offset=2&per_page=10", SANDBOX
    )
    assert str(rebased) == "http://127.0.0.1:8123/v3/a/ACC1/calls?offset=2&per_page=10"


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.com/v3/a/1/calls?offset=1",
        "http://api.callrail.com/v3/a/1/calls?offset=1",  # scheme downgrade
        "https://api.callrail.com:8443/v3/a/1/calls?offset=1",  # other port
        "http://127.0.0.1:9999/v3/a/1/calls?offset=1",  # sandbox host, other port
        "https://api.callrail.com.evil.com/v3/a/1/calls",
        "/v3/a/1/calls?offset=1",
        "https://api.callrail.com/v3/../../admin",
        "https://api.callrail.com/other/path",
    ],
)
def test_rebase_refuses_foreign_or_odd_links(link: str) -> None:
    with pytest.raises(UnsafeURLError):
        _protocol.rebase_next_page(link, SANDBOX)


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.com/v3/a/1/calls?search=Jane+Doe",
        "/v3/a/1/calls?search=Jane+Doe",
        "https://api.callrail.com/v3/../x?search=Jane+Doe",
        "https://api.callrail.com/other?search=Jane+Doe",
        "http://[::1/v3/a?search=Jane+Doe",  # not a URL at all
    ],
)
def test_a_refused_link_shows_no_query_and_chains_nothing(link: str) -> None:
    with pytest.raises(UnsafeURLError) as info:
        _protocol.rebase_next_page(link, SANDBOX)
    error = info.value
    assert "Jane" not in str(error) and "Jane" not in error.url
    assert error.__cause__ is None and error.__context__ is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"error": "You do not have permission"}', "You do not have permission"),
        (b'{"errors": {"color": ["is not included in the list"]}}', "color is not included"),
        (b'{"errors": ["a", "b"]}', "a; b"),
        (b'{"message": "gateway says no"}', "gateway says no"),
        (b"HTTP Token: Access denied.\n", "HTTP Token: Access denied."),
        (b"<html><body><h1>502 Bad Gateway</h1></body></html>", "<h1>502 Bad Gateway</h1>"),
        (b"", "(empty body)"),
        (b"[1, 2]", "[1, 2]"),
    ],
)
def test_error_message_from_each_body_shape(body: bytes, expected: str) -> None:
    assert expected in _protocol.error_message(body)


def test_error_message_is_bounded() -> None:
    message = _protocol.error_message(b"x" * 100_000)
    assert len(message) <= _protocol.SNIPPET_LIMIT + 1
    message = _protocol.error_message(b'{"error": "' + b"y" * 10_000 + b'"}')
    assert len(message) <= _protocol.SNIPPET_LIMIT + 1


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (418, APIError),
    ],
)
def test_error_class_by_status(status: int, cls: type[APIError]) -> None:
    assert _protocol.error_class(status) is cls


def test_retry_after_seconds_and_http_date() -> None:
    now = 1_800_000_000.0
    assert _protocol.parse_retry_after("7", now) == 7.0
    assert _protocol.parse_retry_after(None, now) is None
    assert _protocol.parse_retry_after("soon", now) is None
    date = dt.datetime.fromtimestamp(now + 42, dt.UTC)
    header = date.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert _protocol.parse_retry_after(header, now) == pytest.approx(42, abs=1)
    assert _protocol.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == 0.0


def test_normalize_base_url_rules() -> None:
    assert str(_protocol.normalize_base_url("http://127.0.0.1:8080/v3")) == (
        "http://127.0.0.1:8080/v3/"
    )
    with pytest.raises(ValueError, match="allow_insecure_http"):
        _protocol.normalize_base_url("http://proxy.internal/v3/")
    assert _protocol.normalize_base_url("http://proxy.internal/v3/", allow_insecure_http=True)
    with pytest.raises(ValueError):
        _protocol.normalize_base_url("ftp://x/")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("inf", None),
        ("Infinity", None),
        ("1e309", None),
        ("1e3", None),  # not delta-seconds
        ("nan", None),
        ("-5", None),
        ("0x10", None),
        ("1_000", None),
        ("", None),
        ("0", 0.0),
        ("2.5", 2.5),
        ("9" * 400, 1e15),  # finite but too long to represent: the caller clamps it
        ("Fri, 31 Dec 9999 23:59:59 GMT", pytest.approx(253402300799 - 1_800_000_000)),
    ],
)
def test_retry_after_is_finite_and_non_negative_or_absent(header: str, expected: object) -> None:
    assert _protocol.parse_retry_after(header, 1_800_000_000.0) == expected


def test_retry_policy_clamps_every_server_wait_to_its_maximum() -> None:
    policy = RetryPolicy(max_retry_after=60)
    assert policy.bounded_retry_after(1e15) == 60
    assert policy.bounded_retry_after(float("inf")) is None
    assert policy.bounded_retry_after(float("nan")) is None
    assert policy.bounded_retry_after(-3) == 0
    assert policy.bounded_retry_after(None) is None
    assert policy.delay(0, 1e15) == 60


@pytest.mark.parametrize("name", ["max_retry_after", "max_backoff", "backoff_base"])
@pytest.mark.parametrize("value", [float("inf"), float("nan"), -1.0])
def test_retry_policy_refuses_unbounded_waits(name: str, value: float) -> None:
    with pytest.raises(ConfigurationError, match=name):
        RetryPolicy(**{name: value})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "body",
    [
        b'{"error": ' + b"[" * 1200 + b"]" * 1200 + b"}",
        b'{"errors": ' + b"[" * 900 + b'"x"' + b"]" * 900 + b"}",
        b'{"errors": {"a": ' + b'{"b": ' * 500 + b"1" + b"}" * 500 + b"}}",
        b'{"error": ' + b"9" * 5000 + b"}",
    ],
)
def test_error_message_of_a_hostile_body_is_bounded_text(body: bytes) -> None:
    message = _protocol.error_message(body)
    assert isinstance(message, str) and len(message) <= _protocol.SNIPPET_LIMIT + 1


def test_rate_limit_error_takes_the_same_context_as_api_error() -> None:
    error = RateLimitError("slow", retry_after=3.0, status=429, method="GET", url="/x", retries=1)
    assert (error.retry_after, error.status, error.retries) == (3.0, 429, 1)
    assert str(error) == "429 on GET /x: slow (after 1 retries)"


def test_every_sdk_error_is_a_callrail_error_and_validation_is_also_a_value_error() -> None:
    import callrail_async.errors as errors

    for name in errors.__all__:
        value = getattr(errors, name)
        if isinstance(value, type):
            assert issubclass(value, errors.CallRailError), name
    assert issubclass(errors.InvalidArgumentError, ValueError)
    assert issubclass(errors.ConfigurationError, ValueError)
    assert not issubclass(errors.ResponseDecodeError, errors.TransportError)
    assert issubclass(errors.RequestTimeoutError, errors.TransportError)
