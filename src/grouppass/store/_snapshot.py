"""The snapshot file: the whole state as of one point in the log, in TinyDB's JSON layout.

Each table is an object of documents keyed by document id, as TinyDB writes
them, so ``TinyDB(path, access_mode="r")`` can read a snapshot (or a backup)
for ad-hoc queries::

    {"meta":    {"1": {"format": "grouppass-db", "schema": 2, "seq": 57, "log_offset": 20731,
                       "log_base": 0}},
     "rules":   {"1": {"version": 3, "data": {"min_validity_months": 6, ...}}},
     "agency":  {"1": {"version": 4, "data": {"name": "PT Amanah Lombok", ...}}},
     "offices": {"1": {"version": 5, "data": {"code": "MTR", ...}}, ...},
     "members": {"1": {"version": 57, "group": "sekarbela", "data": {"id": "J001", ...}}, ...}}

``seq`` is the last change the snapshot holds, ``log_offset`` how far into
the log that is, and ``log_base`` the change the log starts after: a log
always starts from an empty database whose last change was ``log_base`` (0
for a database made by ``db init``; higher for one rebuilt by a repair or a
restore, so that its changes never reuse an older change's number).

The records are read here only for their shape; turning them into model
objects (and reporting what is wrong inside them) is :mod:`._state`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson
from attrs import define, field, frozen

from grouppass.errors import LocatedProblem
from grouppass.store._records import CODECS, Kind

__all__ = [
    "FORMAT",
    "Damage",
    "OutRecord",
    "Raw",
    "RawRecord",
    "decode",
    "decode_tables",
    "encode",
    "key_of",
    "peek_meta",
    "raw_out",
]

FORMAT = "grouppass-db"

RawRecord = tuple[int, dict[str, Any], str]
"""(version, data, where it came from: the snapshot or a log line) of one record."""

OutRecord = tuple[int, dict[str, Any], str | None]
"""(version, data, group id for a member) of one record to write."""


class Damage(Exception):
    """The problems that make a file unusable, each located."""

    def __init__(self, problems: Iterable[LocatedProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@define
class Raw:
    """A database as decoded JSON: what migrations and the log replay work on."""

    schema: int
    seq: int
    log_offset: int
    log_base: int = 0
    tables: dict[Kind, dict[tuple[str, ...], RawRecord]] = field(
        factory=lambda: {kind: {} for kind in Kind}
    )


def key_of(kind: Kind, data: Mapping[str, Any], group: object = None) -> tuple[str, ...] | None:
    """The record's key from its JSON, or None when the JSON has no usable one."""
    if kind.singleton:
        return ()
    ident = data.get(CODECS[kind].ident)
    if not isinstance(ident, str) or not ident.strip():
        return None
    if kind is Kind.MEMBER:
        if not isinstance(group, str) or not group.strip():
            return None
        return (group, ident)
    return (ident,)


def decode(data: bytes, source: str) -> tuple[Raw, dict[str, Any]]:
    """The snapshot's meta record and its decoded tables; raises Damage.

    The caller checks the schema before it trusts the tables to
    :func:`decode_tables`: a newer schema may lay them out differently.
    """
    try:
        top = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if not data.strip():
            raise Damage([LocatedProblem("", "the file is empty", source)]) from None
        cut = " (the file looks cut short)" if exc.pos >= len(data.rstrip()) - 1 else ""
        msg = f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}{cut}"
        raise Damage([LocatedProblem("", msg, source)]) from None
    if not isinstance(top, dict):
        raise Damage([LocatedProblem("", "expected a JSON object of tables", source)])
    table = top.get("meta")
    docs = list(table.values()) if isinstance(table, dict) else []
    meta = docs[0] if len(docs) == 1 else None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        problem = "not a grouppass database (no meta record)"
        if isinstance(top.get("format"), str) and top["format"].startswith("grouppass/"):
            # `--db season.json` for `season.json`: the likeliest slip, said with its way out.
            problem = (
                f"a scenario file ({top['format']}), not a database: make a database from it "
                f"with `grouppass db init --db agency.json --from {source}`"
            )
        raise Damage([LocatedProblem("meta", problem, source)])
    values: dict[str, int] = {}
    problems: list[LocatedProblem] = []
    for name in ("schema", "seq", "log_offset"):
        value = meta.get(name)
        if type(value) is int and value >= 0:
            values[name] = value
        else:
            problems.append(LocatedProblem(f"meta.{name}", "expected a whole number >= 0", source))
    base = meta.get("log_base", 0)  # files written before it was recorded: their log is the first
    if type(base) is not int or not 0 <= base <= values.get("seq", base):
        problems.append(LocatedProblem("meta.log_base", "expected a whole number <= seq", source))
    if problems:
        raise Damage(problems)
    return Raw(values["schema"], values["seq"], values["log_offset"], base), top


@frozen
class Meta:
    """A snapshot's (or a backup's) meta record: where it stands in the history of changes."""

    schema: int
    seq: int
    log_offset: int
    log_base: int


_HEAD = re.compile(rb'\A\s*\{\s*"meta"\s*:\s*\{\s*"1"\s*:\s*(\{[^{}]*\})')


def peek_meta(path: Path) -> Meta | None:
    """The meta record of the snapshot at ``path``, or None if it has none that reads.

    Reads the first kilobyte when the meta comes first (as :func:`encode`
    writes it), so ordering a dozen backups does not parse a dozen databases;
    other files are read whole.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
            m = _HEAD.match(head)
            data = m.group(1) if m else head + f.read()
        if m:
            top = {"meta": {"1": orjson.loads(data)}}
            raw, _ = decode(orjson.dumps(top), str(path))
        else:
            raw, _ = decode(data, str(path))
    except (OSError, orjson.JSONDecodeError, Damage):
        return None
    return Meta(raw.schema, raw.seq, raw.log_offset, raw.log_base)


def decode_tables(raw: Raw, top: Mapping[str, Any], source: str) -> None:
    """Fill ``raw.tables`` from the decoded file; raises Damage listing every problem."""
    problems: list[LocatedProblem] = []
    by_table = {kind.table: kind for kind in Kind}
    for name, table in top.items():
        if name == "meta":
            continue
        kind = by_table.get(name)
        if kind is None:
            problems.append(LocatedProblem(name, "unknown table", source))
            continue
        if not isinstance(table, dict):
            problems.append(LocatedProblem(name, "expected an object of documents", source))
            continue
        for doc_id, doc in table.items():
            _document(raw, kind, f"{name}.{doc_id}", doc, source, problems)
    if problems:
        raise Damage(problems)


def _document(
    raw: Raw, kind: Kind, where: str, doc: object, source: str, problems: list[LocatedProblem]
) -> None:
    if not isinstance(doc, dict):
        problems.append(LocatedProblem(where, "expected a document (an object)", source))
        return
    version, data = doc.get("version"), doc.get("data")
    if type(version) is not int or version < 1:
        problems.append(LocatedProblem(f"{where}.version", "expected a whole number >= 1", source))
        return
    if not isinstance(data, dict):
        problems.append(LocatedProblem(f"{where}.data", "expected an object", source))
        return
    key = key_of(kind, data, doc.get("group"))
    if key is None:
        problems.append(LocatedProblem(where, f"a {kind.value} without a usable key", source))
        return
    table = raw.tables[kind]
    if key in table:
        problems.append(LocatedProblem(where, f"duplicate {kind.value} {'/'.join(key)}", source))
        return
    table[key] = (version, data, source)


def encode(
    schema: int,
    seq: int,
    log_offset: int,
    tables: Iterable[tuple[Kind, Iterable[OutRecord]]],
    log_base: int = 0,
) -> bytes:
    """The snapshot file's bytes. ``tables`` yields each kind's records in order.

    The meta record comes first, so :func:`peek_meta` can read a backup's
    sequence number without parsing the whole file.
    """
    meta = {
        "format": FORMAT, "schema": schema, "seq": seq, "log_offset": log_offset,
        "log_base": log_base,
    }  # fmt: skip
    top: dict[str, Any] = {"meta": {"1": meta}}
    for kind, records in tables:
        docs: dict[str, Any] = {}
        for i, (version, data, group) in enumerate(records, 1):
            doc: dict[str, Any] = {"version": version}
            if kind is Kind.MEMBER:
                doc["group"] = group
            doc["data"] = data
            docs[str(i)] = doc
        top[kind.table] = docs
    return orjson.dumps(top)


def raw_out(raw: Raw) -> Iterator[tuple[Kind, Iterator[OutRecord]]]:
    """The records of ``raw`` for :func:`encode` (used when migrating)."""
    for kind in Kind:
        yield (
            kind,
            (
                (version, data, key[0] if kind is Kind.MEMBER else None)
                for key, (version, data, _) in raw.tables[kind].items()
            ),
        )
