"""Process-wide stores kept in Redis when there is one and in a local SQLite file when not (the
rate-limit counters, collaboration presence)."""

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ProcessStore(Generic[T]):
    """One store per process, made on first use from the settings of that moment. reset()
    forgets it, for tests that switch settings between runs."""

    def __init__(self, make: Callable[[], T]):
        self._make = make
        self._store: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        with self._lock:
            if self._store is None:
                self._store = self._make()
            return self._store

    def reset(self) -> None:
        with self._lock:
            self._store = None
