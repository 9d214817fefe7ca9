"""The bridge between async producers and dlt's synchronous resources."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable

import pytest

from callrail_async.sync._bridge import EventLoopThread, iterate

Emit = Callable[[int], Awaitable[None]]


def _threads() -> set[str]:
    return {t.name for t in threading.enumerate()}


def test_items_arrive_in_order_and_the_loop_stops_with_its_last_user() -> None:
    stopped: list[bool] = []

    async def on_stop() -> None:
        stopped.append(True)

    loops = EventLoopThread(on_stop=on_stop)

    async def produce(emit: Emit) -> None:
        for n in range(100):
            await emit(n)

    assert list(iterate(loops, produce, buffer=2)) == list(range(100))
    assert stopped == [True]
    assert "callrail-sync" not in _threads()


def test_two_producers_share_one_loop() -> None:
    loops = EventLoopThread()
    seen: set[int] = set()

    async def produce(emit: Emit) -> None:
        seen.add(id(asyncio.get_running_loop()))
        await emit(1)

    first = iterate(loops, produce)
    second = iterate(loops, produce)
    assert next(first) == 1 and next(second) == 1
    assert len(seen) == 1
    assert list(first) == [] and list(second) == []


def test_a_producer_error_is_raised_to_the_consumer() -> None:
    async def produce(emit: Emit) -> None:
        await emit(1)
        raise LookupError("boom")

    items = iterate(EventLoopThread(), produce)
    assert next(items) == 1
    with pytest.raises(LookupError, match="boom"):
        next(items)


def test_closing_early_cancels_the_producer_and_waits_for_it() -> None:
    cleaned: list[bool] = []

    async def produce(emit: Emit) -> None:
        try:
            n = 0
            while True:
                await emit(n)
                n += 1
        finally:
            await asyncio.sleep(0.01)  # cleanup that takes a moment still completes
            cleaned.append(True)

    items = iterate(EventLoopThread(), produce, buffer=1)
    assert next(items) == 0
    items.close()
    assert cleaned == [True]
    assert "callrail-sync" not in _threads()
