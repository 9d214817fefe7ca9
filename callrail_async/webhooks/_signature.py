"""CallRail's webhook signature: Base64 of HMAC-SHA1 over the raw body with the company's
signing key."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac


def sign(body: bytes, signing_key: str) -> str:
    """The ``Signature`` CallRail sends for ``body``: Base64 of HMAC-SHA1 with the key."""
    digest = hmac.new(signing_key.encode(), body, hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def verify_signature(body: bytes, signature: str, signing_key: str) -> bool:
    """Whether ``signature`` is CallRail's for these exact bytes (constant-time compare)."""
    if not signature or not signing_key:
        return False
    try:
        given = base64.b64decode(signature.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False
    expected = hmac.new(signing_key.encode(), body, hashlib.sha1).digest()
    return hmac.compare_digest(expected, given)
