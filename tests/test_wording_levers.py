"""grouppass.wording.levers: headlines for levers, the options weighed, losses, recoveries.

Hand-made advice and outlooks, so each expected phrase is known in advance.
"""

from __future__ import annotations

import datetime as dt

import pytest

from grouppass.results import Action, Advice, Loss, Option, Reason, RecoveryOutlook
from grouppass.wording import english, indonesian
from grouppass.wording.levers import (
    advice_title,
    chosen_first,
    chosen_option,
    cost_text,
    loss_text,
    option_text,
    recovery_text,
)

NAMES = {"MTR": "Kanim Mataram", "LTM": "ULP Lombok Timur"}
BY = dt.date(2018, 3, 19)
STAY = Option(Action.STAY, None, None, 0.58, 0.58, 0, 58.0)
NOW = Option(Action.SWITCH_NOW, "LTM", None, 0.98, 0.98, 2_020_000, 97.2)
WAIT = Option(Action.SWITCH_BY, "LTM", BY, 0.985, 0.98, 1_955_360, 97.3)
START = Option(Action.START_AT, "LTM", None, 0.98, 0.98, 450_000, 97.5)


def advice(action: Action, *options: Option, **kw: object) -> Advice:
    to = kw.pop("to_office", "LTM")
    return Advice("MTR", ("m",), action, to, None, 0.58, 0.98, "", options=options, **kw)  # type: ignore[arg-type]


class TestChosenFirst:
    def test_the_chosen_lever_leads_even_when_another_scored_higher(self) -> None:
        a = advice(Action.SWITCH_NOW, WAIT, NOW, STAY, code=Reason.SWITCH_GAINS)
        assert chosen_option(a) is NOW
        assert chosen_first(a) == (NOW, WAIT, STAY)

    @pytest.mark.parametrize(
        ("action", "code"),
        [
            (Action.STAY, Reason.ON_TRACK),
            (Action.NO_BETTER_OPTION, Reason.SAME_SYSTEM),
            (Action.START_AT, Reason.START_HERE),  # apply at the group's office = its 'stay'
        ],
    )
    def test_staying_is_the_stay_option(self, action: Action, code: Reason) -> None:
        a = advice(action, NOW, STAY, code=code, to_office="MTR")
        assert chosen_first(a) == (STAY, NOW)

    def test_nothing_weighed(self) -> None:
        assert chosen_first(advice(Action.ASK_URGENT)) == ()


class TestHeadlines:
    def test_each_lever_in_both_languages(self) -> None:
        a = advice(Action.SWITCH_NOW, NOW, WAIT, STAY)
        en = [option_text(o, a, "en", office_names=NAMES) for o in chosen_first(a)]
        assert en == [
            "Switch to ULP Lombok Timur today",
            "Wait for news until 19 March 2018, then switch to ULP Lombok Timur",
            "Stay at Kanim Mataram",
        ]
        id_ = [option_text(o, a, "id", office_names=NAMES) for o in chosen_first(a)]
        assert id_ == [
            "Pindah ke ULP Lombok Timur hari ini",
            "Tunggu kabar sampai 19 Maret 2018, lalu pindah ke ULP Lombok Timur",
            "Tetap di Kanim Mataram",
        ]

    def test_for_members_not_started_staying_is_applying_here(self) -> None:
        a = advice(Action.START_AT, START, STAY, code=Reason.START_ELSEWHERE)
        assert advice_title(a, "en", office_names=NAMES) == "Apply at ULP Lombok Timur"
        assert [option_text(o, a, "en") for o in chosen_first(a)] == [
            "Apply at LTM",
            "Apply at MTR",
        ]

    def test_no_better_option_and_the_late_member_s_levers(self) -> None:
        nothing = advice(Action.NO_BETTER_OPTION, STAY, NOW)
        assert advice_title(nothing, "en") == "No better option than staying at MTR"
        later = advice(Action.LATER_GROUP, to_office=None, to_group="syawal")
        title = advice_title(later, "id", group_names={"syawal": "Umrah Syawal"})
        assert title == "Pindah ke Umrah Syawal"
        urgent = advice(Action.ASK_URGENT, to_office=None)
        assert advice_title(urgent, "en", office_names=NAMES) == (
            "Ask Kanim Mataram for urgent service"
        )

    def test_costs(self) -> None:
        assert cost_text(1_955_360, "en") == "Rp 1.955.360"
        assert (cost_text(0, "en"), cost_text(0, "id")) == ("no cost", "tanpa biaya")


class TestLosses:
    def test_each_loss_with_its_amount_and_day(self) -> None:
        fee = Loss("fee_paid", 355_000, dt.date(2018, 3, 1))
        recording = Loss("recording", None, dt.date(2018, 2, 27))
        appointment = Loss("appointment", None, dt.date(2018, 3, 14))
        assert loss_text(fee, "en") == "the fee paid (Rp 355.000, 1 March 2018)"
        assert loss_text(recording, "en") == "the recording done on 27 February 2018"
        assert loss_text(appointment, "id") == "jadwal kedatangan tanggal 14 Maret 2018"
        assert loss_text(Loss("fee_paid", 355_000), "id") == (
            "biaya yang sudah dibayar (Rp 355.000)"
        )


def outlook(**kw: object) -> RecoveryOutlook:
    values: dict[str, object] = {
        "disruption_id": "d",
        "kind": "system_change",
        "method": "combined",
        "ongoing": True,
        "p50": dt.date(2018, 3, 31),
        "p90": dt.date(2018, 5, 6),
        "similar_known": 9,
        "similar_longer": 6,
        "compared_days": 18.0,
        "overrun_factor": 1.5,
        "own_estimates": 0,
        "own_outages": 0,
        "word_weight": 0.7,
    }
    values.update(kw)
    return RecoveryOutlook(**values)  # type: ignore[arg-type]


class TestRecovery:
    def test_dates_and_what_they_stand_on(self) -> None:
        assert recovery_text(outlook(), "en") == (
            "expected back around 31 March 2018, and most likely before 6 May 2018 (the "
            "officials' estimate, weighted 70%, and how long similar outages lasted; of 9 "
            "similar outages, 6 lasted longer than 18 days)"
        )
        assert recovery_text(outlook(), "id", reasons=False) == (
            "diperkirakan pulih sekitar 31 Maret 2018, dan kemungkinan besar sebelum 6 Mei 2018"
        )
        assert "paling lambat" not in recovery_text(outlook(), "id")  # P90 is not a deadline

    def test_without_a_word_or_as_given_or_ended(self) -> None:
        alone = recovery_text(outlook(method="outside_view", own_estimates=2), "en")
        assert alone.endswith(
            "(no estimate was given: how long similar outages lasted; of 9 similar outages, "
            "6 lasted longer than 18 days; with 2 of the agency's own past estimates)"
        )
        given = recovery_text(outlook(method="as_given", p90=dt.date(2018, 3, 31)), "en")
        assert given == "expected back around 31 March 2018 (the officials' estimate, as given)"
        ended = outlook(method="ended", ongoing=False, p90=dt.date(2018, 3, 31))
        assert recovery_text(ended, "id") == "sudah pulih sejak 31 Maret 2018"


def test_catalogues_have_the_same_keys_and_fields() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert set(english.TEXT) == set(indonesian.TEXT)
    for key, text in english.TEXT.items():
        assert fields(text) == fields(indonesian.TEXT[key]), key
