"""The track record: scoring, the naive forecast, and replays with outcomes known."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from gp_builders import make_group, make_office, make_scenario, paid_member

from grouppass.backtest import (
    Headline,
    Scored,
    TrackRecord,
    backtest,
    naive_ready_day,
    reliability,
    track_record_dict,
)
from grouppass.calendar import DayGrid
from grouppass.model import (
    Application,
    BackgroundRate,
    Disruption,
    Member,
    Recovery,
    Rules,
    Scenario,
)
from grouppass.simulate import PRESETS, Luck
from grouppass.simulate.applications import run, service_days
from grouppass.simulate.printing import OfficeTimeline

D = dt.date
# October 2024 has no Indonesian holiday: working days are Monday to Friday.
MON = D(2024, 10, 7)
# The file is the whole truth: no tail, no unannounced outages, no ramp.
PLAIN = Rules(
    outside_view=False,
    service_tail=0.0,
    background_outages=BackgroundRate(0.0, 0.0),
    recovery_ramp=False,
)


def departing(day: dt.date) -> str:
    return f"{day.isoformat()}T09:00:00+07:00"


# -- scoring -------------------------------------------------------------------------------------


def test_reliability_table_brier_and_ece_by_hand() -> None:
    scored = [
        Scored(0.95, 1.0, True, True),
        Scored(0.95, 1.0, True, True),
        Scored(0.95, 1.0, False, True),
        Scored(0.35, 0.0, False, False),
        Scored(0.35, 1.0, True, False),
    ]
    r = reliability(scored)
    assert [b.forecasts for b in r.bins] == [0, 0, 0, 1 + 1, 0, 0, 0, 0, 0, 3]
    assert r.bins[9].in_time == 2 and r.bins[9].mean_predicted == pytest.approx(0.95)
    assert r.bins[3].share == 0.5 and r.bins[0].share is None
    # Brier: three at 0.95 (two hits, one miss) and two at 0.35 (one each).
    brier = (2 * 0.05**2 + 0.95**2 + 0.35**2 + 0.65**2) / 5
    assert r.brier == pytest.approx(brier)
    assert r.naive_brier == pytest.approx(1 / 5)  # naive wrong only on the miss at 0.95
    # ECE: 3/5 |0.95 - 2/3| + 2/5 |0.35 - 1/2|.
    assert r.ece == pytest.approx(3 / 5 * (0.95 - 2 / 3) + 2 / 5 * 0.15)
    assert (r.on_track_calls, r.on_track_hits, r.sure_calls, r.sure_hits) == (3, 2, 3, 2)


def test_p_of_one_lands_in_the_top_bin_and_nothing_scores_nothing() -> None:
    assert reliability([Scored(1.0, 1.0, True, True)]).bins[9].forecasts == 1
    empty = reliability([])
    assert empty.forecasts == 0 and empty.brier is None and empty.ece is None


# -- the naive forecast --------------------------------------------------------------------------


def outage(**kw: object) -> Disruption:
    base: dict[str, object] = {"id": "fault", "offices": ("A",), "start": D(2024, 10, 9)}
    base.update(kw)
    return Disruption(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("disruptions", "expected"),
    [
        # Paid Mon 7 Oct: ready Thu 10 Oct.
        ((), D(2024, 10, 10)),
        # Printing stops Wed 9 Oct, "back on Fri 18 Oct": three working days later, Wed 23.
        ((outage(recovery=Recovery(D(2024, 10, 14), D(2024, 10, 18))),), D(2024, 10, 23)),
        # No estimate: the organiser takes it as back tomorrow (Thu 10), ready Tue 15 Oct.
        ((outage(),), D(2024, 10, 15)),
        # Known to have ended on Tue 8 Oct: nothing to add.
        ((outage(start=D(2024, 10, 1), ended=D(2024, 10, 8)),), D(2024, 10, 10)),
        # Starts after the passport would be ready: nothing to add.
        (
            (outage(start=D(2024, 10, 11), recovery=Recovery(D(2024, 10, 25), D(2024, 10, 25))),),
            D(2024, 10, 10),
        ),
        # Not reported yet on as_of: unknown to the organiser.
        ((outage(reported=D(2024, 10, 12)),), D(2024, 10, 10)),
    ],
)
def test_naive_ready_day(disruptions: tuple[Disruption, ...], expected: dt.date) -> None:
    scenario = make_scenario([make_office("A")], disruptions=disruptions)
    app = Application(office="A", booked=MON, recorded=MON, paid=MON)
    assert naive_ready_day(scenario, app, D(2024, 10, 9)) == expected


def test_naive_counts_from_today_when_not_paid_and_takes_a_print_as_ready() -> None:
    scenario = make_scenario([make_office("A")])
    as_of = D(2024, 10, 9)
    assert naive_ready_day(scenario, Application(office="A"), as_of) == D(2024, 10, 14)
    printed = Application(office="A", booked=MON, recorded=MON, paid=MON, issued=D(2024, 10, 8))
    assert naive_ready_day(scenario, printed, as_of) == D(2024, 10, 8)


# -- a history with outcomes known by hand -------------------------------------------------------


def collected(
    id: str, office: str, paid: dt.date, done: dt.date | None, booked: dt.date | None = None
) -> Member:
    member = paid_member(id, office, paid=paid, issued=done, collected=done)
    if booked is not None:
        assert member.application is not None
        app = Application(office=office, booked=booked, recorded=paid, paid=paid,
                          issued=done, collected=done)  # fmt: skip
        member = Member(id=id, name=member.name, application=app)
    return member


def hand_history() -> Scenario:
    """Fixed service times (booking 1, issuance 3 at A and 4 at B, collection 0), no outage."""
    thu, fri = D(2024, 10, 10), D(2024, 10, 11)
    groups = [
        # Paid Mon 7, in hand Thu 10, deadline Thu 10: in time, and said so.
        make_group(
            [collected("m1", "A", MON, thu), collected("m2", "A", MON, thu)],
            id="on-time", departure=departing(thu),
        ),
        # Issuance takes 4 days at B: in hand Fri 11, a day late. grouppass says 0,
        # the organiser's "three days after payment" says in time.
        make_group([collected("m1", "B", MON, fri)], id="late", office="B",
                   departure=departing(thu)),
        # b applies on Wed 9 and is late; before that the group is not scored.
        make_group(
            [collected("a", "A", MON, thu),
             collected("b", "A", D(2024, 10, 9), D(2024, 10, 14), booked=D(2024, 10, 9))],
            id="mixed", departure=departing(fri),
        ),
        # Never recorded as collected: its outcome is unknown, so it is left out.
        make_group([collected("m1", "A", MON, None)], id="unrecorded", departure=departing(thu)),
        # Departs after today: not scored yet.
        make_group([collected("m1", "A", MON, None)], id="future",
                   departure=departing(D(2024, 10, 25))),
    ]  # fmt: skip
    offices = [make_office("A"), make_office("B", issue=4)]
    return make_scenario(offices, groups, rules=PLAIN)


def test_a_hand_worked_history() -> None:
    record = backtest(hand_history(), D(2024, 10, 14), every_days=1, samples=200)
    assert record.days == (MON, D(2024, 10, 8), D(2024, 10, 9), D(2024, 10, 10))
    m, g = record.members, record.groups
    # Members: on-time 2 x 3 days, late 1 x 3 days, mixed a 3 days and b 2 days (Wed, Thu).
    assert (m.forecasts, m.in_time) == (14, 9)
    assert m.bins[9].forecasts == 9 and m.bins[9].in_time == 9
    assert m.bins[0].forecasts == 5 and m.bins[0].in_time == 0
    assert m.brier == pytest.approx(0.0, abs=1e-6)
    assert m.naive_brier == pytest.approx(3 / 14)  # wrong about B, three times
    # Groups: on-time 3 days, late 3 days, mixed only once b had applied (Wed, Thu).
    assert (g.forecasts, g.in_time) == (8, 3)
    assert g.naive_brier == pytest.approx(3 / 8)
    assert (g.on_track_calls, g.on_track_hits) == (3, 3)
    assert record.summary == (
        "when grouppass said 90% or more, 3 of 3 were in time (groups, replayed every 1 day)"
    )
    assert record.headline == Headline("sure", "groups", 3, 3)


def test_a_member_collected_after_the_deadline_was_late() -> None:
    # Replayed on Mon 7 only: the forecast said 0 and the record says Fri 11, a day late.
    record = backtest(hand_history(), D(2024, 10, 14), every_days=7, samples=200)
    assert record.days == (MON,)
    late = [b for b in record.groups.bins if b.forecasts and b.in_time == 0]
    assert sum(b.forecasts for b in late) == 1


def test_nothing_to_score() -> None:
    record = backtest(hand_history(), D(2024, 10, 9), samples=200)
    assert record.members.forecasts == record.groups.forecasts == 0
    assert record.summary.startswith("nothing to score yet")
    assert record.headline == Headline("nothing", None, 0, 0)
    data = track_record_dict(record)
    assert data["groups"]["brier"] is None and data["replay_days"] == []


# -- a simulated history whose reliability is known by hand --------------------------------------


def test_the_backtest_reports_the_reliability_the_simulator_knows() -> None:
    """Issuance {3, 3, 5} days, deadline 3 working days after payment: P = F(3.5) = 0.4375.

    The simulator draws each member's own issuance time; 200 members in 100
    pairs are recorded and paid on Mon 7 Oct and replayed that day. A pair is
    in time with P = 0.4375**2. What came true is what the simulator drew.
    """
    world = PRESETS["as-said"]
    office = make_office("A", issue=(3, 3, 5), intake=0.0)
    grid = DayGrid(D(2024, 8, 1), 200)
    line = OfficeTimeline(office, PLAIN, grid, [], world, np.random.default_rng(0))
    rng = np.random.default_rng(2024)
    deadline = D(2024, 10, 10)
    groups = []
    truth: dict[str, list[bool]] = {}
    for k in range(100):
        members = []
        for j in range(2):
            luck = Luck.draw(rng, world)
            days = service_days(luck, office, world)
            # Asked on Fri 4 Oct: recorded (and paid at the counter) on Mon 7 Oct.
            s = run(line, days, grid.index(D(2024, 10, 4)), prepaid=False)
            booked, recorded, paid, issued, collected = (
                grid.date(x) for x in (s.booked, s.recorded, s.paid, s.issued, s.collected)
            )
            assert recorded == paid == MON
            app = Application("A", booked, recorded, paid, issued, collected)
            members.append(Member(id=f"m{j}", name=f"Jamaah {k} {j}", application=app))
            truth.setdefault(f"g{k}", []).append(collected <= deadline)
        groups.append(make_group(members, id=f"g{k}", departure=departing(deadline)))
    scenario = make_scenario([office], groups, rules=PLAIN)
    record = backtest(scenario, D(2024, 10, 14), every_days=7, samples=200)
    assert record.days == (MON,)

    m = record.members
    hits = sum(sum(v) for v in truth.values())
    assert m.forecasts == 200 and m.in_time == hits
    (said,) = [b for b in m.bins if b.forecasts]
    assert (said.low, said.forecasts) == (0.4, 200)
    assert said.mean_predicted == pytest.approx(0.4375, abs=0.01)
    # The simulator's draws agree with the probability (4 standard deviations).
    assert abs(hits / 200 - 0.4375) < 4 * (0.4375 * 0.5625 / 200) ** 0.5
    p = said.mean_predicted
    assert m.brier == pytest.approx((hits * (1 - p) ** 2 + (200 - hits) * p**2) / 200, abs=1e-6)
    assert m.naive_brier == pytest.approx((200 - hits) / 200)  # naive: all in time

    g = record.groups
    pairs = sum(all(v) for v in truth.values())
    (said_g,) = [b for b in g.bins if b.forecasts]
    assert (said_g.low, said_g.forecasts, said_g.in_time) == (0.1, 100, pairs)
    assert said_g.mean_predicted == pytest.approx(0.4375**2, abs=0.01)
    assert record.summary == (
        f"grouppass never said 90% or more; {hits} of 200 member forecasts came true "
        "(replayed every 7 days)"
    )
    assert record.headline == Headline("never_sure", "members", hits, 200)


def test_the_record_is_a_frozen_value() -> None:
    record = backtest(hand_history(), D(2024, 10, 14), samples=200)
    assert isinstance(record, TrackRecord)
    with pytest.raises(AttributeError):
        record.today = MON  # type: ignore[misc]
