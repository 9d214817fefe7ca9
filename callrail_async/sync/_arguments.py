"""The checks on :func:`~callrail_async.sync.source.callrail_source`'s arguments, made when
the source is built: a wrong type is a :class:`ConfigurationError` then, not a ``TypeError``
(or ``AttributeError``) there or from inside a pipeline run."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Sequence
from typing import Any

from .. import _validate
from ..client import CallRail
from ..errors import ConfigurationError, InvalidArgumentError
from ..models import CALL_OPTIONAL_FIELDS
from ..options import safe_repr


def check_arguments(
    accounts: object,
    resources: object,
    lookback: object,
    start_date: object,
    call_fields: object,
    account_concurrency: object,
    client_options: object,
) -> None:
    """Each argument of the type ``callrail_source`` declares, and ids that fit a URL."""
    if not _strings(resources):
        raise ConfigurationError("resources must be a list of resource names")
    if not isinstance(lookback, dt.timedelta):
        raise ConfigurationError(f"lookback must be a timedelta, got {type(lookback).__name__}")
    if start_date is not None and not isinstance(start_date, dt.datetime):
        raise ConfigurationError(
            f"start_date must be an aware datetime, got {type(start_date).__name__}"
        )
    if isinstance(account_concurrency, bool) or not isinstance(account_concurrency, int):
        raise ConfigurationError(
            f"account_concurrency must be an integer >= 1, got {safe_repr(account_concurrency)}"
        )
    if not _strings(call_fields):
        raise ConfigurationError("call_fields must be a list of Call field names")
    try:
        _validate.choices("call_fields", call_fields, CALL_OPTIONAL_FIELDS)  # type: ignore[arg-type]
        if accounts != "all":
            ids = [accounts] if isinstance(accounts, str | int) else accounts
            if not isinstance(ids, Sequence) or isinstance(ids, str):
                raise ConfigurationError("accounts must be 'all' or a list of account ids")
            for account in ids:
                _validate.resource_id("accounts", account, "ACC")
    except InvalidArgumentError as exc:
        raise ConfigurationError(str(exc)) from None
    if client_options is not None:
        if not isinstance(client_options, dict):
            raise ConfigurationError("client_options must be a dict of CallRail(...) arguments")
        known = inspect.signature(CallRail).parameters
        unknown = sorted(str(k) for k in client_options if k not in known)
        if unknown:
            raise ConfigurationError(
                f"client_options has {len(unknown)} name(s) CallRail(...) does not take"
            )


def _strings(values: Any) -> bool:
    """A list (or tuple) of str, not a str itself (which would be read letter by letter)."""
    return (
        isinstance(values, Sequence)
        and not isinstance(values, str)
        and all(isinstance(v, str) for v in values)
    )
