"""Learning from records recovers what made the records, and the outside view holds."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from grouppass.evidence.learn import (
    RATE_PRIOR_YEARS,
    agency_tails,
    background_rates,
    disruption_history,
)
from grouppass.evidence.reference import (
    BACKGROUND_OFFICE_PER_YEAR,
    BACKGROUND_SYSTEM_PER_YEAR,
    Interval,
    duration_prior,
    longer_than,
    overrun_prior,
    reference_outages,
)
from grouppass.evidence.words import word_model
from grouppass.model import (
    Application,
    Disruption,
    DisruptionKind,
    Group,
    Member,
    Office,
    Recovery,
    Rules,
    Scenario,
    System,
    ThreePoint,
)
from grouppass.service import ServiceTime

D = dt.date


class TestReferenceClass:
    def test_every_row_is_sourced_and_dated(self) -> None:
        rows = reference_outages()
        assert len(rows) >= 10
        assert all(r.source and r.start.year >= 2015 for r in rows)
        assert {r.kind for r in rows if r.used} == set(DisruptionKind)

    def test_priors_follow_the_rows(self) -> None:
        # Local faults (parts come from Jakarta: Dabo Singkep still down after 8 weeks)
        # last longer than system changes, which last longer than the data centre.
        local = duration_prior(DisruptionKind.LOCAL_FAULT).median_days
        system = duration_prior(DisruptionKind.SYSTEM_CHANGE).median_days
        centre = duration_prior(DisruptionKind.DATA_CENTRE).median_days
        assert local > system > centre > 4
        # Officials' first words run late in the reference class.
        assert overrun_prior().factor > 1.2

    def test_longer_than_counts_only_what_the_rows_can_say(self) -> None:
        # Against 14 days: of the system-change rows only the biometric outage (back
        # after 7) is known either way, too few, so every used row counts: Dabo (still
        # down at 55) and Karimun (at 14) longer, biometrics and PDN (6) not; the rest
        # ("still down at 10", "back by 23") cannot say.
        assert longer_than(DisruptionKind.SYSTEM_CHANGE, 14) == (4, 2)
        # Against 5 days every row that says anything lasted longer.
        assert longer_than(None, 5) == (7, 7)

    def test_own_outages_move_the_outside_view(self) -> None:
        quick = tuple(Interval.exactly(3.0) for _ in range(12))
        assert duration_prior(DisruptionKind.LOCAL_FAULT, quick).median_days < 8


class TestServiceTimes:
    def test_recovers_a_known_distribution_from_many_records(self) -> None:
        # Records drawn from P(3) = 0.2, P(4) = 0.5, P(5) = 0.2, P(9) = 0.1.
        rng = np.random.default_rng(1)
        durations = rng.choice([3, 4, 5, 9], size=4000, p=[0.2, 0.5, 0.2, 0.1]).astype(np.int32)
        prior = ServiceTime.from_estimate(ThreePoint(3, 3, 5), tail=0.05)
        learned = prior.learned(durations, np.zeros(0, dtype=np.int32), high=5)
        for k, p in ((3, 0.2), (4, 0.5), (5, 0.2), (9, 0.1)):
            got = learned.cdf(k) - learned.cdf(k - 1)
            assert got == pytest.approx(p, abs=0.02)

    def test_few_records_stay_near_the_estimate(self) -> None:
        prior = ServiceTime.from_estimate(ThreePoint(3, 3, 5), tail=0.05)
        one_slow = np.array([4, 4, 4, 18], dtype=np.int32)
        learned = prior.learned(one_slow, np.zeros(0, dtype=np.int32), high=5)
        # Past high: (50 x 5% + 4 x 25%) / 54, not the 25% one slow record of four says.
        assert 1 - learned.cdf(5) == pytest.approx((50 * 0.05 + 4 * 0.25) / 54, abs=1e-6)

    def test_the_agency_tail_is_pooled_over_offices(self) -> None:
        from grouppass.evidence.learn import Observations

        a = Office(code="A", name="A", timezone="Asia/Jakarta", issue_days=ThreePoint(3, 3, 5))
        b = Office(code="B", name="B", timezone="Asia/Jakarta", issue_days=ThreePoint(3, 3, 5))
        empty = np.zeros(0, dtype=np.int32)
        slow = np.array([4] * 80 + [9] * 20, dtype=np.int32)  # 20% past high at A
        seen = {
            "A": Observations((empty, slow, empty, empty), (empty, empty, empty, empty)),
            "B": Observations((empty, empty, empty, empty), (empty, empty, empty, empty)),
        }
        _, issue, _ = agency_tails(Rules(), [a, b], seen)
        # (0.05 x 20 + 20) / (20 + 100) = 0.175, kept to 2% of itself: ln 0.175 / 0.02
        # = -87.16, so e^(-87 x 0.02) = e^-1.74.
        assert issue == pytest.approx(math.exp(-1.74), abs=1e-6)
        assert issue == pytest.approx(0.175, rel=0.01)

    def test_one_record_within_the_estimate_leaves_the_agency_tail_as_it_was(self) -> None:
        # The share feeds every office's times and learned queue: one save must not
        # move it unless it is news (a record past high).
        from grouppass.evidence.learn import Observations

        office = Office(code="A", name="A", timezone="Asia/Jakarta", issue_days=ThreePoint(3, 3, 5))
        empty = np.zeros(0, dtype=np.int32)

        def share(within: int, past: int) -> float:
            done = np.array([4] * within + [9] * past, dtype=np.int32)
            seen = {"A": Observations((empty, done, empty, empty), (empty,) * 4)}
            return agency_tails(Rules(), [office], seen)[1]

        # (1 + 50) / (20 + 1000) = 0.05; ln 0.05 / 0.02 = -149.79, kept at e^-3.
        assert share(950, 50) == pytest.approx(math.exp(-3.0), abs=1e-6)
        # 51 / 1021: ln / 0.02 = -149.84, the same step.
        assert share(951, 50) == share(950, 50)
        # 52 / 1021 = 0.0509: ln / 0.02 = -148.85, the next step up, e^-2.98.
        assert share(950, 51) == pytest.approx(math.exp(-2.98), abs=1e-6)


class TestOfficialsWords:
    def test_an_agency_whose_officials_are_right_comes_to_trust_them(self) -> None:
        rng = np.random.default_rng(3)
        mu = math.log(15.0)
        said = np.exp(mu + 0.8 * rng.standard_normal(40))
        pairs = [(float(s), mu, float(s) * math.exp(0.05 * rng.standard_normal())) for s in said]
        model = word_model(pairs, overrun_prior())
        assert model.weight == pytest.approx(1.0, abs=0.1)
        median, spread = model.predict(mu, 10.0)
        assert math.exp(median) == pytest.approx(10.0, rel=0.1)
        assert spread < 0.25

    def test_an_agency_whose_officials_always_say_next_week_learns_to_discount_them(
        self,
    ) -> None:
        rng = np.random.default_rng(4)
        mu = math.log(20.0)
        truth = np.exp(mu + 0.6 * rng.standard_normal(40))
        pairs = [(7.0, mu, float(t)) for t in truth]  # "next week", whatever happens
        model = word_model(pairs, overrun_prior())
        median, _ = model.predict(mu, 7.0)
        assert math.exp(median) == pytest.approx(20.0, rel=0.2)

    def test_past_disruptions_become_the_points(self) -> None:
        d = Disruption(
            id="d",
            start=D(2024, 1, 1),
            offices=("A",),
            recovery=Recovery(D(2024, 1, 3), D(2024, 1, 5), None),
            ended=D(2024, 1, 11),
        )
        history = disruption_history([d], D(2024, 2, 1))
        assert history.said == ((4.5, DisruptionKind.LOCAL_FAULT, 10.5),)
        assert disruption_history([d], D(2024, 1, 8)).said == ()  # not ended yet then


class TestBackgroundRate:
    def scenario(self, outages: int, ahead: int = 0) -> Scenario:
        office = Office(code="A", name="A", timezone="Asia/Jakarta", systems=("S",))
        member = Member(
            id="m", name="Siti Aminah", application=Application("A", booked=D(2023, 1, 2))
        )
        group = Group(
            id="G",
            name="G",
            office="A",
            departure=dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
            members=(member,),
        )
        past = tuple(
            Disruption(
                id=f"d{i}", start=D(2023, 2, 1) + dt.timedelta(days=30 * i), systems=("S",),
                ended=D(2023, 2, 8) + dt.timedelta(days=30 * i),
            )
            for i in range(outages)
        )  # fmt: skip
        # All announced on 13 Dec 2023 (a maintenance plan): one began a week later and
        # is over, the rest are to come.
        announced = tuple(
            Disruption(
                id=f"a{i}", start=D(2023, 12, 20) + dt.timedelta(days=30 * i), systems=("S",),
                reported=D(2023, 12, 13),
                ended=D(2023, 12, 22) + dt.timedelta(days=30 * i),
            )
            for i in range(ahead)
        )  # fmt: skip
        return Scenario(
            systems=(System("S"),),
            offices=(office,),
            disruptions=past + announced,
            groups=(group,),
        )

    @pytest.mark.parametrize("outages", [0, 4])
    def test_gamma_poisson_update(self, outages: int) -> None:
        as_of = D(2024, 1, 2)
        rates = background_rates(self.scenario(outages), as_of)
        years = (as_of - D(2023, 1, 2)).days / 365.25
        expected = (BACKGROUND_SYSTEM_PER_YEAR * RATE_PRIOR_YEARS + outages) / (
            RATE_PRIOR_YEARS + years
        )
        assert rates.system["S"] == pytest.approx(expected)

    def test_outages_announced_ahead_thin_the_rate(self) -> None:
        # 4 outages reported as they began, 3 announced ahead (one of them over by
        # as_of, two still to come): of 7 outages plus the reference class's prior (every
        # one a surprise, worth the outages its rates expect in a year: 0.1 for the office,
        # 5/9 for the system), 3 were announced. The rate of all outages counts the 4 and
        # the 1 announced outage that had ended; only the unannounced share of it is
        # background.
        as_of = D(2024, 1, 2)
        rates = background_rates(self.scenario(4, ahead=3), as_of)
        prior = RATE_PRIOR_YEARS * (BACKGROUND_OFFICE_PER_YEAR + BACKGROUND_SYSTEM_PER_YEAR)
        share = (prior + 4) / (prior + 7)
        years = (as_of - D(2023, 1, 2)).days / 365.25
        everything = (BACKGROUND_SYSTEM_PER_YEAR * RATE_PRIOR_YEARS + 5) / (
            RATE_PRIOR_YEARS + years
        )
        assert rates.unannounced_share == pytest.approx(share)
        assert rates.system["S"] == pytest.approx(share * everything)
        office = (BACKGROUND_OFFICE_PER_YEAR * RATE_PRIOR_YEARS) / (RATE_PRIOR_YEARS + years)
        assert rates.office["A"] == pytest.approx(share * office)

    def test_surprises_alone_keep_the_whole_rate(self) -> None:
        assert background_rates(self.scenario(4), D(2024, 1, 2)).unannounced_share == 1.0

    def test_rules_can_switch_it_off(self) -> None:
        from grouppass.model import BackgroundRate

        s = self.scenario(4)
        s = Scenario(
            rules=Rules(background_outages=BackgroundRate(0, 0)),
            systems=s.systems, offices=s.offices, disruptions=s.disruptions, groups=s.groups,
        )  # fmt: skip
        rates = background_rates(s, D(2024, 1, 2))
        assert rates.system["S"] == 0.0 and rates.source == "rules"
