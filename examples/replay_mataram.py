"""Replay the March 2018 Mataram outage day by day, as the organiser saw it.

    .venv/bin/python examples/replay_mataram.py [SCENARIO] [--seed N]

Each line is the group's standing on one date: facts dated later (stage
dates, the 15 March report of the outage) are unknown on that date, so the
same file tells the story as it unfolded.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from grouppass.assess import assess
from grouppass.formats import load_scenario
from grouppass.results import Action, GroupAssessment, Risk

HERE = Path(__file__).resolve().parent
DATES = ("2018-03-01", "2018-03-05", "2018-03-15", "2018-03-26", "2018-04-09")
WHO = "nashif"


def _day(d: dt.date | None) -> str:
    return "-" if d is None else f"{d:%d %b}"


def line(as_of: dt.date, group: GroupAssessment) -> str:
    """One compact line: the group, its risk counts, Nashif, and the advice."""
    counts = group.counts()
    tally = " ".join(f"{counts[r]}{r.value[0].upper()}" for r in Risk)
    nashif = next(m for m in group.members if m.member_id == WHO)
    advice = "; ".join(
        f"{a.office}×{len(a.members)} {a.action.value}"
        + (f" → {a.to_office}" if a.action in (Action.SWITCH_NOW, Action.SWITCH_BY) else "")
        + (f" by {_day(a.switch_by)}" if a.switch_by else "")
        for a in group.advice
    )
    return (
        f"{as_of}  group {group.risk.value:<8} P={group.p_on_time:4.2f} [{tally}]"
        f"  Nashif P={nashif.p_on_time:4.2f} P50 {_day(nashif.ready_p50)}"
        f" P90 {_day(nashif.ready_p90)}  {advice or 'no advice'}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", type=Path, default=HERE / "mataram-2018.json")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    scenario = load_scenario(args.scenario)
    group_id = scenario.groups[0].id
    replay = {}
    for text in DATES:
        as_of = dt.date.fromisoformat(text)
        replay[as_of] = assess(scenario, as_of, seed=args.seed).group(group_id)
    first = next(iter(replay.values()))
    print(f"{first.name}: departs {first.departure:%d %b %Y}, passports needed by {first.deadline}")
    print("members: R ready, O on track, A at risk, L late; advice: office×members action")
    for as_of, group in replay.items():
        print(line(as_of, group))
    # why: the reason behind each office's advice, the first time it changes
    said: set[tuple[str, Action]] = set()
    for as_of, group in replay.items():
        for a in group.advice:
            if (a.office, a.action) not in said:
                said.add((a.office, a.action))
                print(f"{as_of:%d %b} {a.office} {a.action.value}: {a.reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
