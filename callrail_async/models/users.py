"""User models."""

from ._types import Id, Model, Timestamp


class UserCompany(Model):
    """A company a user has access to."""

    id: Id
    name: str | None = None


class User(Model):
    """A CallRail user (``USR…``)."""

    id: Id
    email: str | None = None
    created_at: Timestamp | None = None
    role: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    name: str | None = None
    accepted: bool | None = None
    companies: list[UserCompany] | None = None
