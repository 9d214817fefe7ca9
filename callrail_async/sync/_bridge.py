"""Async producers feeding dlt's synchronous resources through one background event loop.

dlt pulls items from resources in its own thread. Every resource of a sync run produces on
the *same* event loop (one HTTP session, one limiter, every account concurrently), and hands
batches over through a small bounded queue, so memory stays flat however fast the API is.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any, Generic, TypeVar

__all__ = ["EventLoopThread", "Producer", "iterate"]

T = TypeVar("T")
Emit = Callable[[T], Awaitable[None]]
Producer = Callable[[Emit[T]], Coroutine[Any, Any, None]]

_DONE = object()


class EventLoopThread:
    """An event loop in a daemon thread, started by the first user and stopped (after
    ``on_stop`` ran on it) when the last one leaves."""

    def __init__(self, on_stop: Callable[[], Coroutine[Any, Any, None]] | None = None) -> None:
        self._on_stop = on_stop
        self._lock = threading.Lock()
        self._users = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def acquire(self) -> asyncio.AbstractEventLoop:
        """Join (starting the loop if nobody else is using it)."""
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="callrail-sync", daemon=True
                )
                thread.start()
                self._loop, self._thread = loop, thread
            self._users += 1
            return self._loop

    def release(self) -> None:
        """Leave; the last user stops the loop."""
        with self._lock:
            self._users -= 1
            if self._users > 0 or self._loop is None:
                return
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        try:
            if self._on_stop is not None:
                asyncio.run_coroutine_threadsafe(self._on_stop(), loop).result()
        finally:
            loop.call_soon_threadsafe(loop.stop)
            assert thread is not None
            thread.join()
            loop.close()


class _Channel(Generic[T]):
    def __init__(self, size: int) -> None:
        self.queue: asyncio.Queue[Any] = asyncio.Queue(size)

    async def put(self, item: T) -> None:
        await self.queue.put(item)


def iterate(loops: EventLoopThread, produce: Producer[T], *, buffer: int = 8) -> Iterator[T]:
    """Run ``produce(emit)`` on the shared loop and yield what it emits, in this thread.

    An exception in the producer is raised here; closing the iterator cancels the producer.
    """
    loop = loops.acquire()
    try:
        channel: _Channel[T] = asyncio.run_coroutine_threadsafe(_channel(buffer), loop).result()

        async def run() -> None:
            try:
                await produce(channel.put)
            except asyncio.CancelledError:
                raise  # the consumer went away: nobody to tell
            except BaseException as exc:
                await channel.queue.put((_DONE, exc))
                raise
            await channel.queue.put((_DONE, None))

        task = asyncio.run_coroutine_threadsafe(_start(run()), loop).result()
        try:
            while True:
                item = asyncio.run_coroutine_threadsafe(channel.queue.get(), loop).result()
                if isinstance(item, tuple) and len(item) == 2 and item[0] is _DONE:
                    if item[1] is not None:
                        raise item[1]
                    break
                yield item
        finally:
            # Closed early (or failed): stop the producer and wait until it has stopped.
            asyncio.run_coroutine_threadsafe(_stop(task), loop).result()
    finally:
        loops.release()


async def _channel(size: int) -> _Channel[Any]:
    return _Channel(size)


async def _start(coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
    return asyncio.get_running_loop().create_task(coroutine)


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task  # its error, if any, was raised to the consumer already
