"""Where a build's chunks run: in this process, in local worker processes, or on a Dask cluster.

Each executor maps a chunk function over an iterable of argument tuples and yields the results
in input order, with only a few chunks in flight at once, so the articles still to read stay on
disk (or in the generator reading them) and memory does not grow with the corpus.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kg_builder import _work
from kg_builder.errors import KGBuilderError
from kg_builder.validate import Validator


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class InProcess:
    """Chunks one after the other, here (``--jobs 1``)."""

    def __init__(self, nlp=None, validator: Validator | None = None):
        self.worker = _work.Worker(nlp, validator)

    def map(self, step: str, tasks: Iterable[tuple]) -> Iterator[Any]:
        fn = getattr(self.worker, step)
        for args in tasks:
            yield fn(*args)

    def close(self) -> None:
        self.worker = None


class _Windowed:
    """Submit at most ``window`` tasks ahead of the one whose result is consumed next."""

    window = 2

    def _submit(self, fn: Callable, args: tuple):
        raise NotImplementedError

    def map(self, step: str, tasks: Iterable[tuple]) -> Iterator[Any]:
        fn = {"read": _work.read_chunk, "write": _work.write_chunk}[step]
        pending: deque = deque()
        for args in tasks:
            pending.append(self._submit(fn, args))
            if len(pending) >= self.window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


class Processes(_Windowed):
    """``jobs`` worker processes on this machine, each with the spaCy pipeline and the validator.

    Where the OS can fork (Linux), the pipeline is loaded once here and the workers are forked
    from this process: they start at once and share the model's memory until they write to it,
    and a script calling ``build`` needs no ``if __name__ == "__main__"`` guard. Elsewhere the
    workers are spawned and load the model themselves (an ``nlp`` object cannot be sent to them).
    """

    def __init__(self, jobs: int, validator: Validator, nlp=None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            if nlp is None:
                from kg_builder.extract import load_nlp

                nlp = load_nlp()
        else:
            context = multiprocessing.get_context("spawn")
            if nlp is not None:
                raise ValueError("nlp cannot be sent to spawned worker processes: pass jobs=1 with it, or no nlp")
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                        initializer=_work.init_process, initargs=(validator, nlp))
        self.window = 2 * jobs

    def _submit(self, fn: Callable, args: tuple):
        return self.pool.submit(fn, *args)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class Dask(_Windowed):
    """The same chunk functions as tasks on a Dask distributed cluster.

    Workers need kg-builder installed and ``work_dir`` on a file system they all share with the
    process running the build (they write the spooled facts and shards there).
    """

    def __init__(self, scheduler, validator: Validator):
        try:
            from distributed import Client
        except ImportError as exc:
            raise KGBuilderError("--executor dask needs dask and distributed: pip install 'kg-builder[cluster]'") from exc
        if scheduler is None:
            raise KGBuilderError("--executor dask needs a scheduler address (--scheduler tcp://HOST:8786)")
        if hasattr(scheduler, "submit"):  # a Client made by the caller: use it, leave it open
            self.client, self._own = scheduler, False
        else:
            try:
                self.client, self._own = Client(scheduler, timeout="20s"), True
            except (OSError, TimeoutError) as exc:
                raise KGBuilderError(f"{scheduler}: cannot reach the Dask scheduler ({exc})") from exc
        self.validator = self.client.scatter(validator, broadcast=True)
        workers = len(self.client.scheduler_info().get("workers", {})) or 1
        self.window = 2 * workers

    def _submit(self, fn: Callable, args: tuple):
        return self.client.submit(fn, *args, validator=self.validator, pure=False)

    def close(self) -> None:
        if self._own:
            self.client.close()
