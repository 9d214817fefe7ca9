"""The sandbox's data model: accounts, their collections and call stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._calls import CallStore


@dataclass
class AccountData:
    """One account: its object and its collections, keyed by id in creation order."""

    index: int
    record: dict[str, Any]
    collections: dict[str, dict[str, dict[str, Any]]]
    calls: CallStore
    next_int_id: int = 1_000_000
    time_zone: str = "America/New_York"

    @property
    def id(self) -> str:
        """The ``ACC…`` id."""
        return str(self.record["id"])

    def new_int_id(self) -> int:
        """A fresh integer id (tags, notifications, integrations...)."""
        self.next_int_id += 1
        return self.next_int_id

    def ensure_company_tags(self, company_id: str, names: list[str]) -> None:
        """Unknown tag names applied to a call become company tags, as on CallRail."""
        tags = self.collections["tags"]
        known = {(t["name"], t["company_id"]) for t in tags.values()}
        for name in names:
            if (name, company_id) not in known:
                tag_id = self.new_int_id()
                tags[str(tag_id)] = {
                    "id": tag_id,
                    "name": name,
                    "tag_level": "company",
                    "color": "gray1",
                    "background_color": "gray1",
                    "company_id": company_id,
                    "status": "enabled",
                    "created_at": None,
                }


@dataclass
class SandboxData:
    """Everything the sandbox serves."""

    seed: int
    now: float
    accounts: list[AccountData] = field(default_factory=list)

    def account(self, key: str) -> AccountData | None:
        """An account by ``ACC…`` id or numeric id."""
        for account in self.accounts:
            if key in (account.id, str(account.record["numeric_id"])):
                return account
        return None
