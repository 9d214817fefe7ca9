"""Python blocks of a Markdown file, with the hidden directives that say how to test them.

A block may be preceded by an HTML comment (invisible on GitHub and PyPI)::

    <!-- readme-test: async
    from callrail_async import CallRail
    client = CallRail()
    -->

The first line names how the block runs: ``script`` (the default: run as written),
``async`` (top-level ``await``: run inside ``async def`` after the preamble), ``pytest``
(``# name.py`` comment lines split it into files, run by pytest in strict asyncio mode),
or ``skip <reason>``. The lines after it are a preamble: code the reader is assumed to
have (a client, a signing key), prepended for both running and type-checking.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

_FENCE = re.compile(
    r"(?:<!--\s*readme-test:[ \t]*(?P<head>[^\n]*?)[ \t]*(?:\n|(?=-->))(?P<preamble>.*?)-->\s*\n)?"
    r"^```python\n(?P<code>.*?)^```",
    re.S | re.M,
)


@dataclass(frozen=True)
class Block:
    """One fenced Python block of a Markdown file."""

    line: int
    kind: str  # script, async, pytest or skip
    reason: str
    preamble: str
    code: str

    @property
    def name(self) -> str:
        return f"readme_line_{self.line}"

    def program(self) -> str:
        """The block as one module: preamble, then the code (wrapped if it awaits)."""
        if self.kind == "async":
            body = textwrap.indent(self.preamble + self.code, "    ")
            return (
                "import asyncio\n\n\nasync def _block() -> None:\n"
                f"{body}\n\nasyncio.run(_block())\n"
            )
        return self.preamble + self.code

    def files(self) -> dict[str, str]:
        """For a ``pytest`` block: its files, split at ``# name.py`` lines."""
        files: dict[str, str] = {}
        current = None
        for line in self.code.splitlines(keepends=True):
            match = re.fullmatch(r"#\s*([\w/]+\.py)\s*\n?", line)
            if match:
                current = match.group(1)
                files[current] = self.preamble
            elif current is not None:
                files[current] += line
        return files


def python_blocks(markdown: Path) -> list[Block]:
    """Every fenced ``python`` block of the file, in order."""
    text = markdown.read_text()
    blocks = []
    for match in _FENCE.finditer(text):
        head = (match.group("head") or "script").split(maxsplit=1)
        kind = head[0]
        if kind not in {"script", "async", "pytest", "skip"}:
            raise ValueError(f"{markdown.name}: unknown readme-test kind {kind!r}")
        line = text.count("\n", 0, match.start("code"))
        blocks.append(
            Block(
                line=line,
                kind=kind,
                reason=head[1] if len(head) > 1 else "",
                preamble=textwrap.dedent(match.group("preamble") or ""),
                code=match.group("code"),
            )
        )
    return blocks
