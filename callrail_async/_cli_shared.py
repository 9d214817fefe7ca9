"""What the console command's subcommands share: exit statuses, the date argument type and
the connection options (``callrail-async --help`` lists the statuses)."""

from __future__ import annotations

import argparse
import datetime as dt

from ._validate import shown

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_UNVERIFIED = 3
EXIT_INTERRUPTED = 130


def date_arg(text: str) -> dt.date:
    """An argparse type: a day as ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {shown(text)}") from None


def add_connection_args(parser: argparse.ArgumentParser) -> None:
    """The options that say which account, where, and under which rate budget."""
    parser.add_argument("--account", help="account id (ACC…); default: the key's only account")
    parser.add_argument("--base-url", help="API base URL (a sandbox or proxy)")
    parser.add_argument(
        "--rate-limits",
        choices=("auto", "callrail", "off"),
        default="auto",
        help="CallRail's published budgets (auto: on, except for a loopback --base-url)",
    )
    parser.add_argument(
        "--rate-limit-store",
        help="share the budget: sqlite:PATH (processes of this machine) or redis:URL",
    )
