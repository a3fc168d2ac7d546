"""/sparql on an external engine: the check in graph-less workers, the evaluation there."""

from __future__ import annotations

from pathways.graph.querying import GraphSelection
from pathways.graph.remote import RemoteStore
from pathways.service.sparql_pool import WorkerPool
from pathways.service.sparql_results import Limits, NotAcceptable, negotiate
from pathways.service.sparql_workers import QueryResult, shape_result


class RemoteRunner:
    """Answers /sparql by forwarding to the external engine under the same deadline and cap.

    The check runs where it runs for the embedded store, in worker processes under the
    deadline (``checker``, a pool holding no graph): parsing a hostile query can recurse deeply
    or take long, and must not do so in the server. The engine, another server, evaluates.
    """

    def __init__(self, store: RemoteStore, checker: WorkerPool) -> None:
        self.store = store
        self.checker = checker

    def answer(
        self,
        text: str,
        accept: str | None,
        limits: Limits,
        timeout: float,
        graphs: GraphSelection | None = None,
    ) -> tuple[QueryResult, str, str]:
        """The same contract as the worker pool's: check, choose the format, evaluate."""
        checked = self.checker.check(text, timeout)
        try:
            kind = negotiate(accept, checked.form)
        except NotAcceptable as error:
            raise NotAcceptable(error.offered, checked.form) from None
        result = self.store.query(checked.text, graphs=graphs)
        return shape_result(result, kind, limits), checked.form, kind

    def alive(self) -> int:
        return self.checker.alive()

    def close(self) -> None:
        self.checker.close()
