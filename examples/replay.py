"""Replay a story day by day, as the organiser saw it: the figures and the advice.

    .venv/bin/python examples/replay.py SCENARIO DATE [DATE ...] [--who MEMBER] [--seed N]

Each line is the group's standing on one date: facts dated later (stage
dates, a later report of an outage, its end) are unknown on that date, so one
file tells the story as it unfolded. Then the reason behind each piece of
advice, the first time it appears. ``replay_mataram.py`` and ``replay_pdn.py``
call this with their stories' dates.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from grouppass import assess, load_scenario
from grouppass.display import percent
from grouppass.results import Action, GroupAssessment, Risk

__all__ = ["line", "main", "replay"]

_MOVES = (Action.SWITCH_NOW, Action.SWITCH_BY, Action.START_AT, Action.EXPRESS)


def _day(d: dt.date | None) -> str:
    return "-" if d is None else f"{d:%d %b}"


def line(as_of: dt.date, group: GroupAssessment, who: str) -> str:
    """One compact line: the group, its risk counts, one member, and the advice."""
    counts = group.counts()
    tally = " ".join(f"{counts[r]}{r.value[0].upper()}" for r in Risk)
    member = next(m for m in group.members if m.member_id == who)
    advice = "; ".join(
        f"{a.office}×{len(a.members)} {a.action.value}"
        + (f" → {a.to_office}" if a.action in _MOVES and a.to_office != a.office else "")
        + (f" until {_day(a.switch_by)}" if a.action is Action.SWITCH_BY else "")
        for a in group.advice
        if a.action not in (Action.ASK_URGENT, Action.LATER_GROUP)
    )
    return (
        f"{as_of}  {group.risk.value:<8} {percent(group.p_on_time):>4} [{tally}]  "
        f"{member.name.split()[-1]} {percent(member.p_on_time):>4} P50 {_day(member.ready_p50)}"
        f" P90 {_day(member.ready_p90)}  {advice or 'no advice'}"
    )


def replay(path: Path, dates: Sequence[str], who: str, seed: int = 0) -> list[str]:
    scenario = load_scenario(path)
    group_id = scenario.groups[0].id
    days = {dt.date.fromisoformat(d): assess(scenario, dt.date.fromisoformat(d), seed=seed)
            for d in dates}  # fmt: skip
    rows = {d: r.group(group_id) for d, r in days.items()}
    first = next(iter(rows.values()))
    out = [
        f"{first.name}: departs {first.departure:%d %b %Y}, passports needed by {first.deadline}",
        "risk P(all) [R ready, O on track, A at risk, L late]; advice: office×members action",
    ]
    out += [line(d, g, who) for d, g in rows.items()]
    said: set[tuple[str, Action, str | None]] = set()
    for as_of, group in rows.items():
        for a in group.advice:
            key = (a.office, a.action, a.to_office)
            if key not in said and a.action not in (Action.ASK_URGENT, Action.LATER_GROUP):
                said.add(key)
                out.append(f"{as_of:%d %b} {a.office} {a.action.value}: {a.reason}")
    for as_of, report in days.items():
        for r in report.recoveries:
            if r.ongoing:
                out.append(
                    f"{as_of:%d %b} {r.disruption_id}: printing back by {_day(r.p50)} (P50), "
                    f"{_day(r.p90)} (P90) [{r.method}]"
                )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", type=Path)
    parser.add_argument("dates", nargs="+")
    parser.add_argument("--who", help="the member to follow (default: the first)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    who = args.who or load_scenario(args.scenario).groups[0].members[0].id
    print("\n".join(replay(args.scenario, args.dates, who, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
