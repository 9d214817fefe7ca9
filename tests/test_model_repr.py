"""Model reprs show what is set, not 85 fields of None."""

from __future__ import annotations

from callrail_async.models import Call, decoder


def test_a_call_repr_shows_only_the_fields_it_has() -> None:
    body = b'{"id": "CAL1", "duration": "27", "answered": "false", "source": null, "tags": []}'
    call = decoder(Call)(body)
    text = repr(call)
    assert text.startswith("Call(") and "id='CAL1'" in text and "duration=27" in text
    assert "answered=False" in text  # a False that was sent is shown
    assert "source" not in text and "customer_name" not in text
    assert len(text) < 120
