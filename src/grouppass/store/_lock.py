"""The lock file that lets one writer at a time change a database, across processes."""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

import filelock

from grouppass._files import PRIVATE
from grouppass.store._errors import StoreError
from grouppass.store.files import lock_path

__all__ = ["WriterLock", "lock_path"]


class WriterLock:
    """An exclusive lock on ``<db>.lock`` (flock on POSIX, LockFileEx on Windows).

    The operating system drops the lock when its holder dies, even by SIGKILL,
    so a crashed writer never leaves the database locked.
    """

    def __init__(self, db_path: Path, timeout: float) -> None:
        self.path = lock_path(db_path)
        self.timeout = timeout
        # thread_local=False: the Store serialises its own threads; the lock is
        # about other processes. A 2 ms poll keeps two busy writers from idling
        # (filelock polls; the default 50 ms would cap them at ~20 saves/s).
        self._lock = filelock.FileLock(
            self.path, timeout=timeout, mode=PRIVATE, thread_local=False, poll_interval=0.002
        )

    def acquire(self, *, timeout: float | None = None) -> None:
        if not self._lock.is_locked:
            self._check_openable()
        try:
            self._lock.acquire(timeout=self.timeout if timeout is None else timeout)
        except filelock.Timeout:
            raise StoreError(
                f"the database is busy: another grouppass process holds {self.path} "
                f"(waited {self.timeout:g} s); try again when it has finished"
            ) from None

    def _check_openable(self) -> None:
        # filelock retries a lock file it cannot create or open (a folder it may not
        # write, /proc, a read-only disk) until the timeout, then says "busy": one
        # open first tells that apart from another writer, at once and with the reason.
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            os.close(os.open(self.path, flags, PRIVATE))
        except OSError as exc:
            raise StoreError(
                f"cannot open the lock file {self.path}: {exc.strerror or exc}"
            ) from None

    def try_acquire(self) -> bool:
        """Take the lock only if it is free right now."""
        try:
            self._lock.acquire(timeout=0)
        except filelock.Timeout:
            return False
        return True

    def release(self) -> None:
        self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
