"""The files of one database, and the guards around them.

For ``agency.json``: the snapshot ``agency.json``, the change log
``agency.json.log``, the lock ``agency.json.lock``, the high-water mark
``agency.json.mark``, cut-short log tails kept aside
(``agency.json.log.cut-<offset>``), damaged files moved aside
(``agency.json.damaged-<time>``, ``agency.json.log.damaged-<time>``) and backups
(``agency.backup-<time>.json``). Every one of them may hold passport numbers.

:func:`refuse_output` keeps an export (or any other output) from landing on
any of them; :func:`tighten` makes them owner-only again when another tool
has loosened them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from grouppass._files import PRIVATE
from grouppass.store._errors import StoreError
from grouppass.store._warnings import StoreWarning, WarningKind

__all__ = [
    "aside_path",
    "cut_path",
    "database_files",
    "lock_path",
    "log_path",
    "mark_path",
    "refuse_output",
    "temp_prefix",
    "tighten",
]


def log_path(db: Path) -> Path:
    return db.with_name(db.name + ".log")


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def mark_path(db: Path) -> Path:
    return db.with_name(db.name + ".mark")


def temp_prefix(db: Path) -> str:
    """Every temporary file the store makes for ``db`` starts with this."""
    return f".{db.name}.tmp-"


def _free(candidate: Path) -> Path:
    n, base = 2, candidate
    while candidate.exists() or candidate.is_symlink():
        candidate = base.with_name(f"{base.name}-{n}")
        n += 1
    return candidate


def cut_path(db: Path, offset: int) -> Path:
    """A new side file for the cut-short tail that started at ``offset`` of the log."""
    return _free(log_path(db).with_name(f"{log_path(db).name}.cut-{offset}"))


def aside_path(path: Path, when: dt.datetime | None) -> Path:
    """A new name for a damaged ``path`` moved aside: ``<name>.damaged[-<UTC time>]``."""
    stamp = "" if when is None else when.astimezone(dt.UTC).strftime("-%Y%m%dT%H%M%SZ")
    return _free(path.with_name(f"{path.name}.damaged{stamp}"))


def _backup_pattern(db: Path) -> re.Pattern[str]:
    stem, suffix = re.escape(db.stem), re.escape(db.suffix)
    return re.compile(rf"{stem}\.backup-.*{suffix}")


def _belongs(db: Path, name: str) -> bool:
    """Is a file called ``name`` beside ``db`` one of its files (or one it may make)?"""
    return (
        name == db.name
        or name.startswith(db.name + ".")  # .log .lock .mark .log.cut-* .damaged-*
        or name.startswith(temp_prefix(db))
        or _backup_pattern(db).fullmatch(name) is not None
    )


def database_files(db: Path) -> Iterator[Path]:
    """Every file beside ``db`` that is part of it (snapshot, log, lock, mark, backups...)."""
    try:
        names = sorted(os.listdir(db.parent or "."))
    except OSError:
        return
    for name in names:
        if _belongs(db, name) and not name.startswith(temp_prefix(db)):
            yield db.with_name(name)


def _ident(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def refuse_output(db: Path, target: Path) -> None:
    """Raise StoreError if writing ``target`` could touch the database ``db``.

    Decided on the real paths (symlinks followed, on both sides) and on the
    files themselves (a hard link to the log is refused too), so no spelling
    of a path can reach the snapshot, its log, lock, mark or backups.
    """
    real_db = Path(os.path.realpath(db))
    real_target = Path(os.path.realpath(target))
    homes = {(Path(os.path.realpath(db.parent or ".")), db.name), (real_db.parent, real_db.name)}
    for folder, name in homes:
        if real_target.parent == folder and _belongs(folder / name, real_target.name):
            raise StoreError(
                f"refusing to write {target}: it would overwrite "
                f"{_what(folder / name, real_target)} {db}; choose another file"
            )
    mine = _ident(target)
    if mine is not None:
        for path in (real_db, *database_files(db)):
            if _ident(path) == mine:
                raise StoreError(
                    f"refusing to write {target}: it is the same file as {path} "
                    f"(a link to the database {db}); choose another file"
                )


def _what(db: Path, target: Path) -> str:
    name = target.name
    if name == db.name:
        return "the database"
    for suffix, what in (("log", "change log"), ("lock", "lock"), ("mark", "high-water mark")):
        if name == f"{db.name}.{suffix}":
            return f"the {what} of the database"
    return "a file (a backup, a kept-aside log) of the database"


def tighten(paths: Iterable[Path]) -> list[StoreWarning]:
    """Make each existing file owner-only (``0600``) if others may read or write it.

    Returns one warning per file changed (or that could not be changed);
    files already private cost one ``stat`` each. On Windows, where files
    carry ACLs rather than these modes, it does nothing.
    """
    out: list[StoreWarning] = []
    if os.name == "nt":
        return out
    for path in paths:
        try:
            st = os.stat(path, follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        mode = stat.S_IMODE(st.st_mode)
        if not mode & 0o077:
            continue
        try:
            os.chmod(path, PRIVATE)
        except OSError as exc:
            out.append(StoreWarning(
                WarningKind.LOOSE,
                f"{path} can be read by other users (mode {mode:o}) and could not be made "
                f"owner-only ({exc.strerror or exc}); it holds passport numbers",
                path,
            ))  # fmt: skip
            continue
        out.append(StoreWarning(
            WarningKind.TIGHTENED,
            f"{path} could be read by other users (mode {mode:o}); it is now 600 (owner only)",
            path,
        ))  # fmt: skip
    return out
