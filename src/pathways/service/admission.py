"""Backpressure for /sparql: a bounded number of queries in flight, refused at once beyond it.

A query waiting for a worker used to hold a server thread until its deadline, so a burst of slow
queries starved every other route and made clients wait many seconds for a 503. Here the event
loop counts the queries it has admitted (running plus waiting for a worker): beyond the workers
plus ``queue_size`` it answers 429 with ``Retry-After`` at once, before any thread or worker is
taken, and, when ``client_limit`` is set, one client address may hold at most that many. The
waits themselves run on a thread limiter of their own, so REST routes keep the shared pool.

Counting happens only on the event loop (one thread), so plain integers need no lock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter

from pathways.graph.querying import QueryDeadline
from pathways.service.errors import ApiError
from pathways.service.sparql_workers import WorkerDied, WorkersBusy

T = TypeVar("T")


class Admission:
    def __init__(self, workers: int, queue_size: int, client_limit: int, retry_after: int) -> None:
        self.capacity = workers + queue_size
        self.client_limit = client_limit
        self.retry_after = retry_after
        self.in_flight = 0
        self.refused = 0
        self._per_client: Counter[str] = Counter()
        self._threads = CapacityLimiter(self.capacity)

    def _refuse(self, message: str) -> ApiError:
        self.refused += 1
        return ApiError(
            429, "too_many_requests", message, headers={"Retry-After": str(self.retry_after)}
        )

    async def run(self, client: str, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` in a thread of this admission's own limiter, if there is
        room (see :meth:`run_async`)."""
        return await self.run_async(
            client, lambda: anyio.to_thread.run_sync(function, *args, limiter=self._threads)
        )

    async def run_async(self, client: str, start: Callable[[], Awaitable[T]]) -> T:
        """Await ``start()`` if there is room, else raise a 429 at once; the pool's own
        failures (deadline, busy, a dead worker) become 503s with Retry-After."""
        if self.in_flight >= self.capacity:
            raise self._refuse(
                f"{self.in_flight} SPARQL queries are already running or waiting "
                f"(PATHWAYS_WORKERS + PATHWAYS_QUEUE_SIZE = {self.capacity}); try again shortly"
            )
        if self.client_limit and self._per_client[client] >= self.client_limit:
            raise self._refuse(
                f"this client already has {self._per_client[client]} SPARQL queries in flight "
                f"(PATHWAYS_CLIENT_LIMIT = {self.client_limit}); wait for one to finish"
            )
        self.in_flight += 1
        self._per_client[client] += 1
        retry = {"Retry-After": "1"}
        try:
            return await start()
        except QueryDeadline as error:
            raise ApiError(503, "deadline", str(error), headers=retry) from None
        except WorkersBusy as error:
            raise ApiError(503, "busy", str(error), headers=retry) from None
        except WorkerDied as error:
            raise ApiError(503, "worker_died", str(error), headers=retry) from None
        finally:
            self.in_flight -= 1
            self._per_client[client] -= 1
            if not self._per_client[client]:
                del self._per_client[client]
