"""The season simulator: known truth, worked by hand where it can be."""

from __future__ import annotations

import datetime as dt
import statistics

import attrs
import numpy as np
import pytest
from gp_builders import make_office

import grouppass
from grouppass.calendar import DayGrid
from grouppass.model import Disruption, Rules, Stops
from grouppass.simulate import PRESETS, Luck, Printing, Season, World, simulate_season, variant
from grouppass.simulate.applications import ServiceDays, run, service_days
from grouppass.simulate.outages import stated_quantile
from grouppass.simulate.printing import OfficeTimeline

D = dt.date
AS_SAID = PRESETS["as-said"]
# October 2024 has no Indonesian holiday: working days are Monday to Friday.
GRID = DayGrid(D(2024, 8, 1), 200)
MON = D(2024, 10, 7)


def timeline(
    *,
    outage: Disruption | None = None,
    printing: Printing | None = None,
    capacity: float = 100.0,
    intake: float = 50.0,
    issue: float = 3,
) -> OfficeTimeline:
    office = make_office("A", capacity=capacity, intake=intake, issue=issue)
    world = AS_SAID if printing is None else attrs.evolve(AS_SAID, printing=printing)
    outages = [] if outage is None else [outage]
    return OfficeTimeline(office, Rules(), GRID, outages, world, np.random.default_rng(0))


def in_hand(line: OfficeTimeline, days: ServiceDays, ask: dt.date) -> dt.date:
    return GRID.date(run(line, days, GRID.index(ask), prepaid=False).collected)


FIXED = ServiceDays(booking=1, issue=3, collect=0, pay_delay=0)
PRINTING_STOPS = Disruption(
    id="fault",
    offices=("A",),
    start=D(2024, 10, 9),
    ended=D(2024, 10, 21),
    stops=Stops.ISSUANCE,
)


def test_no_outage_ready_three_working_days_after_recording() -> None:
    # Asked Mon 7 Oct, recorded and paid Tue 8 Oct, +3 working days: Fri 11 Oct.
    assert in_hand(timeline(), FIXED, MON) == D(2024, 10, 11)


def test_a_backlog_drains_first_paid_first_printed() -> None:
    # Printing stops Wed 9 Oct to Mon 21 Oct. The member paid Tue 8 Oct is behind
    # the three days of intake (50 a day) paid before him and not yet printed:
    # 150 passports at 100 a day are printed by Tue 22 Oct.
    assert in_hand(timeline(outage=PRINTING_STOPS), FIXED, MON) == D(2024, 10, 22)


def test_printing_ramps_back_after_a_recovery() -> None:
    # A two-day ramp from half capacity: 50 on Mon 21, 75 on Tue 22 (125 < 150),
    # full 100 on Wed 23 Oct.
    ramp = Printing(ramp_days=2, ramp_floor=0.5)
    line = timeline(outage=PRINTING_STOPS, printing=ramp)
    assert in_hand(line, FIXED, MON) == D(2024, 10, 23)
    # Express waits for full strength: not during the ramp, again from Wed 23 Oct.
    assert not line.full(GRID.index(D(2024, 10, 22))) and line.full(GRID.index(D(2024, 10, 23)))


def test_the_agencys_own_applications_join_the_queue_when_the_world_says_so() -> None:
    # 25 members paid on Tue 8 Oct at an office printing 10 a day, nothing else
    # waiting, issuance time 0: the last of them is printed on Thu 10 Oct.
    days = ServiceDays(booking=1, issue=0, collect=0, pay_delay=0)
    for joins, expected in ((True, D(2024, 10, 10)), (False, D(2024, 10, 8))):
        line = timeline(printing=Printing(members_in_queue=joins), capacity=10, intake=0, issue=0)
        for _ in range(25):
            line.add_member(GRID.index(D(2024, 10, 8)))
        assert in_hand(line, days, MON) == expected


def test_a_tail_runs_past_the_estimates_high() -> None:
    office = make_office("A", issue=(3, 4, 5))
    world = attrs.evolve(AS_SAID, service=attrs.evolve(AS_SAID.service, tail_share=0.2))
    lucky = Luck(0.5, 0.5, 0.5, 0.9, 0.9, 0.0, 0.9, False, False)
    unlucky = attrs.evolve(lucky, issue_tail=0.1, tail_length=1 - np.exp(-1.5))
    assert service_days(lucky, office, world).issue == 4
    # high 5, one day past it, plus floor(mean 4 days * 1.5) = 6 more.
    assert service_days(unlucky, office, world).issue == 5 + 1 + 6


def test_service_days_are_the_triangular_rounded_to_the_nearest_day() -> None:
    # issue {3, 3, 5}: P(3) = F(3.5) = 1 - 1.5**2 / 4 = 0.4375, P(5) = 1 - F(4.5) = 0.0625.
    office = make_office("A", issue=(3, 3, 5))
    rng = np.random.default_rng(5)
    draws = [service_days(Luck.draw(rng, AS_SAID), office, AS_SAID).issue for _ in range(4000)]
    assert draws.count(3) / 4000 == pytest.approx(0.4375, abs=0.025)
    assert draws.count(5) / 4000 == pytest.approx(0.0625, abs=0.012)
    assert set(draws) == {3, 4, 5}


def test_the_stated_open_tail_is_read_as_the_docs_say() -> None:
    # One third rises from low to mode; past mode an exponential of scale
    # max(mode - low, 7): the median is mode + 7 ln(4/3)... i.e. u = 1/3 + 2/3 (1 - e^-x/7).
    assert stated_quantile(1 / 3, 0, 7, None) == pytest.approx(7.0)
    u = 1 / 3 + 2 / 3 * (1 - np.exp(-1))
    assert stated_quantile(u, 0, 7, None) == pytest.approx(14.0)
    assert stated_quantile(1.0, 0, 7, None) == pytest.approx(7 + 365)  # the cap


# -- seasons ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def realistic() -> Season:
    return simulate_season(PRESETS["realistic"], 11)


def test_the_same_world_and_seed_give_the_same_file(realistic: Season) -> None:
    again = simulate_season(PRESETS["realistic"], 11)
    assert again.scenario_data() == realistic.scenario_data()
    assert simulate_season(PRESETS["realistic"], 12).scenario_data() != realistic.scenario_data()


def test_the_file_is_an_ordinary_grouppass_1_scenario(realistic: Season) -> None:
    data = realistic.scenario_data()
    assert data["format"] == "grouppass/1"
    assert grouppass.parse_scenario(data) == realistic.scenario()


def test_worlds_with_one_seed_share_their_geography(realistic: Season) -> None:
    said = simulate_season(AS_SAID, 11)
    assert [o.code for o in said.scenario().offices] == [
        o.code for o in realistic.scenario().offices
    ]
    assert said.season_groups == realistic.season_groups


def test_history_is_recorded_before_the_season_opens(realistic: Season) -> None:
    s = realistic
    assert s.history_groups and s.season_groups
    for gid in s.history_groups:
        assert s.deadline(gid) < s.season_open
        for t in s.members(gid):
            stages = s.stages(gid, t.id)
            assert t.passport is not None or (
                stages is not None and s.grid.date(stages.collected) < s.season_open + 200 * DAY
            )
    past = [d for d in s.outages if d.ended is not None and d.ended < s.season_open]
    assert past and any(d.recovery is not None for d in past)


DAY = dt.timedelta(days=1)


def test_a_member_judged_on_their_own_application_once_they_have_applied(realistic: Season) -> None:
    s = realistic
    checked = 0
    for gid in s.season_groups:
        for t in s.members(gid):
            if t.plan is None:
                continue
            asked = s.grid.date(t.plan.ask)
            assert s.in_hand(gid, t.id, asked + 3 * DAY) == s.in_hand(gid, t.id)
            # Not applied yet: as if asking at the end of as_of, so never on or before it.
            early = asked - 10 * DAY
            held = s.in_hand(gid, t.id, early)
            assert held is not None and held > early
            # Applying later never gets the passport sooner (first paid, first printed).
            earlier = s.in_hand(gid, t.id, early - 7 * DAY)
            assert earlier is not None and earlier <= held
            checked += 1
    assert checked > 50


def test_as_said_recoveries_come_from_the_stated_estimate() -> None:
    inside = total = 0
    for seed in range(12):
        s = simulate_season(AS_SAID, seed)
        for d in s.outages:
            assert d.recovery is not None and d.ended is not None
            assert d.known_from <= max(d.start, s.season_open)
            if d.recovery.high is not None:
                total += 1
                inside += d.recovery.low <= d.ended <= d.recovery.high
    assert total > 30 and inside == total


def test_optimistic_officials_are_late_by_about_their_factor() -> None:
    world = attrs.evolve(
        PRESETS["optimistic"],
        estimates=attrs.evolve(PRESETS["optimistic"].estimates, optimism=2.5, noise=0.2),
    )
    ratios = []
    for seed in range(10):
        for d in simulate_season(world, seed).outages:
            if d.recovery is not None and d.recovery.mode > d.start:
                assert d.ended is not None
                ratios.append((d.ended - d.start) / (d.recovery.mode - d.start))
    assert len(ratios) > 30
    assert statistics.median(ratios) == pytest.approx(2.5, rel=0.3)


def test_a_switch_is_a_new_application_and_the_old_one_stays_in_the_queue_if_paid() -> None:
    s = simulate_season(PRESETS["realistic"], 3)
    gid = s.season_groups[0]
    movers = [t for t in s.members(gid) if t.plan is not None][:3]
    for t, paid_by_then in zip(movers[:2], (True, False), strict=True):
        assert t.plan is not None
        old = t.plan
        stages = s.stages(gid, t.id)
        assert stages is not None and stages.service > old.ask
        line = s.timelines[old.office]
        queued = line.members[stages.service]
        # Decided on the day it was recorded and paid, or the day before.
        decided = s.grid.date(stages.service if paid_by_then else stages.service - 1)
        other = s.offices[old.office].alternatives[0].office
        assert s.move(gid, t.id, other, decided + DAY, decided) is True
        assert line.members[stages.service] == (queued if paid_by_then else queued - 1)
        assert t.plans == [old, t.plans[-1]] and t.plans[-1].office == other
        member = s.scenario().group(gid).member(t.id)
        assert member.application is not None and member.application.office == other
        assert member.application.booked == decided + DAY
    # Before applying, a move is only a change of plan: nothing left behind.
    t = movers[2]
    assert t.plan is not None
    before = s.grid.date(t.plan.ask) - DAY
    assert s.move(gid, t.id, t.plan.office, before + DAY, before) is False
    assert len(t.plans) == 1


def test_express_is_printed_the_day_it_is_served_at_full_strength() -> None:
    # Asked Mon 7 Oct, recorded and paid Tue 8 Oct: express is printed that day (regular
    # service: Fri 11 Oct). Served during the ramp after a stop, it is no express at all.
    line = timeline()
    ask = GRID.index(MON)
    assert GRID.date(run(line, FIXED, ask, prepaid=False, express=True).issued) == D(2024, 10, 8)
    ramp = timeline(outage=PRINTING_STOPS, printing=Printing(ramp_days=2, ramp_floor=0.5))
    during = GRID.index(D(2024, 10, 18))  # recorded Mon 21 Oct, the ramp's first day
    express = run(ramp, FIXED, during, prepaid=False, express=True)
    assert GRID.date(express.recorded) == D(2024, 10, 21)
    assert express == run(ramp, FIXED, during, prepaid=False, express=False)
    assert GRID.date(express.issued) > D(2024, 10, 24)  # behind the backlog, too


def test_asking_express_at_the_counter_keeps_the_application() -> None:
    s = simulate_season(PRESETS["as-said"], 5)
    gid = s.season_groups[0]
    t = next(t for t in s.members(gid) if t.plan is not None and not t.plan.express)
    assert t.plan is not None
    stages = s.stages(gid, t.id)
    assert stages is not None and stages.recorded > t.plan.ask
    decided = s.grid.date(t.plan.ask)  # asked, not recorded yet
    s.ask_express(gid, t.id, decided)
    assert len(t.plans) == 1 and t.plan.express
    after = s.stages(gid, t.id)
    assert after is not None
    assert (after.recorded, after.paid) == (stages.recorded, stages.paid)
    assert after.issued <= stages.issued
    app = s.scenario().group(gid).member(t.id).application
    assert app is not None and app.express
    # Once recorded it is too late to ask at the counter.
    with pytest.raises(ValueError, match="recorded already"):
        s.ask_express(gid, t.id, s.grid.date(after.recorded))


def test_variants_scale_effects_and_keep_as_said_as_said() -> None:
    base = PRESETS["realistic"]
    v = variant(base, 4)
    assert v != base and v.name == base.name
    assert 0.65 * base.service.tail_share <= v.service.tail_share <= 1.35 * base.service.tail_share
    said = variant(AS_SAID, 4)
    assert said.estimates.as_stated and said.printing == AS_SAID.printing
    assert said.service.tail_share == said.service.booking_tail_share == 0.0
    assert said.service.pay_late_share == 0.0


def test_the_as_said_file_tells_the_forecast_it_is_the_whole_truth() -> None:
    rules = simulate_season(AS_SAID, 0).scenario().rules
    assert rules.outside_view is False and rules.service_tail == 0.0
    assert rules.background_outages is not None and rules.background_outages.office == 0.0
    assert rules.recovery_ramp is False
    assert simulate_season(PRESETS["realistic"], 0).scenario().rules == Rules()


def test_presets_cover_the_effects() -> None:
    assert {
        "as-said",
        "optimistic",
        "long-tails",
        "uneven-ramp",
        "unannounced",
        "realistic",
    } <= set(PRESETS)
    assert all(isinstance(w, World) for w in PRESETS.values())
    with pytest.raises(KeyError, match="presets: as-said"):
        grouppass.simulate.preset("nope")
