"""Tag models."""

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
