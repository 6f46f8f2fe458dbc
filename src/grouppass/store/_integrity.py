"""References between records: what a change may not leave dangling.

The scenario reader checks the same rules over a whole file (and so over the
whole database when it is opened); the store checks them per change, so
saving one member costs a few lookups, not a full scan.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from grouppass.model import Disruption, Group, Member, Office
from grouppass.store._records import Kind, Ref
from grouppass.store._state import State

__all__ = ["dangling", "problems_after"]


def _has(state: State, kind: Kind, code: str) -> bool:
    return (code,) in state.tables[kind]


def dangling(state: State, ref: Ref, obj: object) -> Iterator[str]:
    """What ``obj`` (stored under ``ref``) names that does not exist."""
    if ref.kind is Kind.OFFICE and isinstance(obj, Office):
        for code in obj.systems:
            if not _has(state, Kind.SYSTEM, code):
                yield f"{ref}: unknown system {code!r}"
        for alt in obj.alternatives:
            if not _has(state, Kind.OFFICE, alt.office):
                yield f"{ref}: alternative: unknown office {alt.office!r}"
    elif ref.kind is Kind.DISRUPTION and isinstance(obj, Disruption):
        for code in obj.offices:
            if not _has(state, Kind.OFFICE, code):
                yield f"{ref}: unknown office {code!r}"
        for code in obj.systems:
            if not _has(state, Kind.SYSTEM, code):
                yield f"{ref}: unknown system {code!r}"
    elif ref.kind is Kind.GROUP and isinstance(obj, Group):
        if not _has(state, Kind.OFFICE, obj.office):
            yield f"{ref}: unknown office {obj.office!r}"
    elif ref.kind is Kind.MEMBER and isinstance(obj, Member):
        if not _has(state, Kind.GROUP, ref.key[0]):
            yield f"{ref}: there is no group {ref.key[0]!r}"
        app = obj.application
        if app is not None and not _has(state, Kind.OFFICE, app.office):
            yield f"{ref}: application: unknown office {app.office!r}"


def _users(state: State, ref: Ref) -> Iterator[Ref]:
    """Records that name ``ref`` (a system, office or group)."""
    code = ref.key[0]
    if ref.kind is Kind.SYSTEM:
        for other, rec in state.refs(Kind.OFFICE):
            if code in rec.obj.systems:
                yield other
    if ref.kind in (Kind.SYSTEM, Kind.OFFICE):
        for other, rec in state.refs(Kind.DISRUPTION):
            if code in (rec.obj.systems if ref.kind is Kind.SYSTEM else rec.obj.offices):
                yield other
    if ref.kind is Kind.OFFICE:
        for other, rec in state.refs(Kind.OFFICE):
            if any(a.office == code for a in rec.obj.alternatives):
                yield other
        for other, rec in state.refs(Kind.GROUP):
            if rec.obj.office == code:
                yield other
        for other, rec in state.refs(Kind.MEMBER):
            app = rec.obj.application
            if app is not None and app.office == code:
                yield other
    if ref.kind is Kind.GROUP:
        for member_id in state.members.get(code, {}):
            yield Ref.member(code, member_id)


def problems_after(state: State, changed: Iterable[Ref]) -> list[str]:
    """Dangling references once ``changed`` (already applied to ``state``) are in place."""
    out: list[str] = []
    for ref in changed:
        record = state.get(ref)
        if record is not None:
            out.extend(dangling(state, ref, record.obj))
        elif ref.kind in (Kind.SYSTEM, Kind.OFFICE, Kind.GROUP):
            users = list(_users(state, ref))
            if users:
                named = ", ".join(str(u) for u in users[:3])
                more = f" and {len(users) - 3} more" if len(users) > 3 else ""
                out.append(f"cannot remove {ref}: {named}{more} still use it")
    return out
