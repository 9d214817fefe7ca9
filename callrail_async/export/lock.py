"""One export per output file: an exclusive ``flock`` on ``OUT.lock``.

The kernel releases the lock when the process ends, however it ends (a SIGKILL included),
so a crash never blocks ``--resume``. The lock file holds the owner's pid, for the message
the second export prints.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from .errors import ExportError


def lock_path(output: Path) -> Path:
    """The lock file of an export to ``output``."""
    return output.with_name(output.name + ".lock")


class OutputLock:
    """Held while an export writes ``output``; :meth:`release` removes the lock file."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.path = lock_path(output)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock at once, or raise ExportError naming the process holding it."""
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                owner = os.read(fd, 32).decode(errors="replace").strip()
                os.close(fd)
                who = f"process {owner}" if owner.isdigit() else "another process"
                raise ExportError(
                    f"another export ({who}) is writing {self.output}; wait for it to finish"
                ) from None
            # A finishing export removes the file after we opened it: lock the new one then.
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        """Remove the lock file, then let go of the lock."""
        if self._fd is None:
            return
        self.path.unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = None
