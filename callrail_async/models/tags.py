"""Tag models."""

from msgspec import UNSET, UnsetType

from ._types import Id, Model, Timestamp


class Tag(Model):
    """A tag. Its id is an integer in lists and a string in create/update responses."""

    id: Id
    name: str | None = None
    tag_level: str | None = None
    color: str | None = None
    background_color: str | None = None
    company_id: str | None = None
    status: str | None = None
    created_at: Timestamp | None = None


class TagCreate(Model, omit_defaults=True):
    """Body of ``POST tags.json``."""

    name: str
    company_id: Id | UnsetType = UNSET
    color: str | UnsetType = UNSET
    tag_level: str | UnsetType = UNSET


class TagUpdate(Model, omit_defaults=True):
    """Body of ``PUT tags/{id}.json``: only the fields the caller set are sent."""

    name: str | UnsetType = UNSET
    color: str | UnsetType = UNSET
    disabled: bool | UnsetType = UNSET
