"""Notices as a native organiser would send them: exact text in both languages, and sending.

The figures are written by hand (not computed), so each notice's dates,
today's actions and the disruption holding the member up are known in
advance and the test checks the wording, not the forecast.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat
from pathlib import Path
from typing import Any

import attrs
from grouppass_tui.notices import render_notice
from grouppass_tui.screens.notices import NoticesScreen
from textual.pilot import Pilot
from tui_support import GROUP, drive, example, make_app, press, type_into

from grouppass.model import Scenario, Stage
from grouppass.notices import notice_facts, notices_csv, whatsapp_link
from grouppass.results import (
    Action,
    Advice,
    GroupAssessment,
    MemberAssessment,
    Risk,
    Todo,
    TodoCode,
)

DAY = dt.date(2018, 3, 15)
OUTAGE = "mataram-printing-2018-03"
"""The example's outage: printing stopped at Kanim Mataram from 5 March 2018."""


def figures_for(
    member_id: str,
    stage: Stage,
    risk: Risk,
    advice: tuple[Advice, ...] = (),
    today: tuple[Todo, ...] = (),
    held_by: tuple[str, ...] = (),
) -> tuple[MemberAssessment, GroupAssessment]:
    scenario = example()
    group = scenario.groups[0]
    member = MemberAssessment(
        member_id=member_id,
        name=group.member(member_id).name,
        office="MTR",
        stage=stage,
        risk=risk,
        p_on_time=0.6,
        ready_p50=dt.date(2018, 3, 27),
        ready_p90=dt.date(2018, 4, 20),
        held_by=held_by,
        today=today,
    )
    shell = GroupAssessment(
        group.id, group.name, group.departure, dt.date(2018, 4, 24), risk, 0.6, (member,), advice
    )
    return member, shell


def notice(
    member_id: str,
    stage: Stage,
    risk: Risk,
    lang: str,
    *,
    scenario: Scenario | None = None,
    advice: tuple[Advice, ...] = (),
    today: tuple[Todo, ...] = (),
    held_by: tuple[str, ...] = (),
    day: dt.date = DAY,
) -> str:
    scenario = scenario or example()
    group = scenario.groups[0]
    mf, gf = figures_for(member_id, stage, risk, advice, today, held_by)
    facts = notice_facts(scenario, group, group.member(member_id), mf, gf, day)
    names = {o.code: o.name for o in scenario.offices}
    return render_notice(facts, lang, lambda c: names.get(c, c))


NASHIF_ID = """\
Assalamu'alaikum warahmatullahi wabarakatuh.

Yth. Bapak Muhammad Nashif,

Berikut kabar paspor Bapak per Kamis, 15 Maret 2018. Perekaman dan pembayaran di \
Kantor Imigrasi Kelas I TPI Mataram sudah selesai; paspor Bapak tinggal menunggu dicetak.

Sejak Senin, 5 Maret 2018, pencetakan paspor di Kantor Imigrasi Kelas I TPI Mataram \
terhenti karena gangguan di kantor tersebut. Pihak kantor memperkirakan layanan pulih \
sekitar Jumat, 23 Maret 2018, tetapi belum bisa memastikan.

Perkiraan kami, paspor Bapak sudah di tangan sekitar Selasa, 27 Maret 2018, dan \
kemungkinan besar sebelum Jumat, 20 April 2018. Paspor perlu sudah di tangan pada \
Selasa, 24 April 2018 agar visa sempat diurus sebelum keberangkatan Selasa, 15 Mei 2018. \
Ada kemungkinan paspor belum siap tepat waktu. Kami terus memantau dan akan segera \
mengabari bila ada perubahan.

Yang perlu dilakukan:
• untuk saat ini tidak ada; kami kabari begitu paspor selesai dicetak

Mohon simpan bukti pembayaran: diperlukan saat mengambil paspor.

Bila ada pertanyaan, silakan hubungi kami di 0370 634512.

Wassalamu'alaikum wr. wb.

Hormat kami,
Hj. Siti Aminah
PT Amanah Lombok Wisata"""

NASHIF_EN = """\
Assalamu'alaikum warahmatullahi wabarakatuh.

Dear Mr Muhammad Nashif,

Here is where your passport stands on Thursday, 15 March 2018. The recording and the \
payment at Kantor Imigrasi Kelas I TPI Mataram are done; your passport is now waiting \
to be printed.

Since Monday, 5 March 2018, passport printing at Kantor Imigrasi Kelas I TPI Mataram has \
stopped because of a problem at the office. The office expects service to resume around \
Friday, 23 March 2018, but could not say for certain.

We expect your passport to be in hand around Tuesday, 27 March 2018, and most likely \
before Friday, 20 April 2018. It needs to be in hand by Tuesday, 24 April 2018, so that \
the visa can be arranged before the departure on Tuesday, 15 May 2018. There is a chance \
it will not be ready in time. We are following it closely and will tell you at once if \
anything changes.

What to do:
• nothing for now: we will let you know as soon as the passport is printed

Please keep the payment receipt: it is needed to collect the passport.

If you have any questions, please contact us on 0370 634512.

Wassalamu'alaikum wr. wb.

Kind regards,
Hj. Siti Aminah
PT Amanah Lombok Wisata"""


class TestWording:
    """The whole message, word for word, in Bahasa Indonesia and English."""

    def test_nashif_in_indonesian(self) -> None:
        text = notice("nashif", Stage.RECORDED_AND_PAID, Risk.AT_RISK, "id", held_by=(OUTAGE,))
        assert text == NASHIF_ID
        assert "paling lambat" not in text  # P90 is "most likely before", not a deadline
        assert "Bapak/Ibu" not in text

    def test_nashif_in_english(self) -> None:
        text = notice("nashif", Stage.RECORDED_AND_PAID, Risk.AT_RISK, "en", held_by=(OUTAGE,))
        assert text == NASHIF_EN

    def test_title_from_the_member(self) -> None:
        rohani = notice("rohani", Stage.RECORDED_AND_PAID, Risk.ON_TRACK, "id")
        assert "Yth. Ibu Baiq Siti Rohani," in rohani and "paspor Ibu tinggal" in rohani
        scenario = example()
        group = scenario.groups[0]
        untitled = attrs.evolve(group.member("rohani"), title=None)
        members = [untitled if m.id == "rohani" else m for m in group.members]
        scenario = attrs.evolve(scenario, groups=(attrs.evolve(group, members=members),))
        text = notice("rohani", Stage.RECORDED_AND_PAID, Risk.ON_TRACK, "id", scenario=scenario)
        assert "Yth. Baiq Siti Rohani," in text and "paspor Anda tinggal" in text
        assert "Dear Ms Baiq Siti Rohani," in notice("rohani", Stage.PAID, Risk.ON_TRACK, "en")

    def test_no_agency_signs_as_the_organiser(self) -> None:
        scenario = attrs.evolve(example(), agency=None)
        text = notice("nashif", Stage.RECORDED_AND_PAID, Risk.ON_TRACK, "id", scenario=scenario)
        assert text.endswith("Hormat kami,\nPanitia perjalanan umrah Anda")
        assert "Bila ada pertanyaan, silakan hubungi kami.\n" in text

    def test_late_without_advice_never_points_at_advice(self) -> None:
        attend = (Todo(TodoCode.ATTEND, "MTR", dt.date(2018, 3, 14)),)
        text = notice("zainal", Stage.BOOKED, Risk.LATE, "en", today=attend)
        assert "advice" not in text.casefold()
        assert "We are working on a way round this and will contact you shortly." in text

    def test_switch_advice_is_printed_when_given(self) -> None:
        advice = (Advice("MTR", ("zainal",), Action.SWITCH_NOW, "LTM", None, 0.2, 0.9, "switch"),)
        switch = (Todo(TodoCode.SWITCH, "LTM"),)
        text = notice("zainal", Stage.BOOKED, Risk.LATE, "id", advice=advice, today=switch)
        assert (
            "• ajukan permohonan baru di Unit Layanan Paspor Lombok Timur mulai hari ini: "
            "di sana paspor lebih mungkin selesai tepat waktu"
        ) in text
        assert "Kami sedang mengupayakan" not in text  # the advice is the way round
        # The figures' dates are for staying at Mataram: not quoted beside "go elsewhere".
        assert "Perkiraan kami" not in text and "Ada kemungkinan" not in text
        assert "Paspor perlu sudah di tangan pada Selasa, 24 April 2018" in text

    def test_waiting_for_news_names_the_office_the_advice_moves_to(self) -> None:
        by = dt.date(2018, 3, 19)
        advice = (Advice("MTR", ("nashif",), Action.SWITCH_BY, "LTM", by, 0.6, 0.9, ""),)
        wait = (Todo(TodoCode.WAIT, "MTR", by),)
        text = notice(
            "nashif", Stage.RECORDED_AND_PAID, Risk.AT_RISK, "en", advice=advice, today=wait
        )
        assert (
            "• if Kantor Imigrasi Kelas I TPI Mataram has not resumed printing by Monday, "
            "19 March 2018, we will move your application to Unit Layanan Paspor Lombok Timur"
        ) in text
        assert "nothing for now" not in text  # there is something: the date to watch
        assert "Please keep the payment receipt" in text  # still the application in hand

    def test_what_to_bring_follows_the_stage(self) -> None:
        pay = (Todo(TodoCode.PAY, "MTR"),)
        recorded = notice("rukiah", Stage.RECORDED, Risk.AT_RISK, "en", today=pay)
        assert "• pay the passport fee of Rp 355.000" in recorded  # 300,000 + 55,000 in 2018
        collect = (Todo(TodoCode.COLLECT, "MTR"),)
        issued = notice(
            "rukiah", Stage.ISSUED, Risk.ON_TRACK, "id", today=collect, held_by=(OUTAGE,)
        )
        assert "• ambil paspor di Kantor Imigrasi Kelas I TPI Mataram" in issued
        assert "Mohon dibawa:\n• bukti pembayaran\n• KTP" in issued
        assert "pencetakan paspor" not in issued  # printed: the outage no longer holds it up
        # From 31 May 2018 an umrah passport needs Kemenag's letter (FACTS.md).
        renew = (Todo(TodoCode.RENEW), Todo(TodoCode.APPLY, "LTM"))
        later = notice(
            "mariam", Stage.NOT_STARTED, Risk.LATE, "en", today=renew, day=dt.date(2018, 6, 1)
        )
        assert "• the umrah recommendation letter from the Kemenag office" in later
        assert "• your old passport" in later  # Mariam holds one that expires too soon
        assert (
            "• apply for a new passport: your current passport expires too soon after the "
            "departure\n• book an appointment at Unit Layanan Paspor Lombok Timur"
        ) in later

    def test_organiser_s_own_actions_stay_out_of_the_notice(self) -> None:
        mine = (Todo(TodoCode.PHONE), Todo(TodoCode.ASK_URGENT, "MTR"))
        text = notice("saenah", Stage.BOOKED, Risk.LATE, "en", today=mine)
        assert "What to do" not in text and "urgent" not in text and "phone" not in text


class TestSending:
    """WhatsApp links and the CSV for broadcast tools."""

    def test_whatsapp_link(self) -> None:
        link = whatsapp_link("0819-1734 0215", "Assalamu'alaikum, Bapak & Ibu?")
        assert link == (
            "https://wa.me/6281917340215?text=Assalamu%27alaikum%2C%20Bapak%20%26%20Ibu%3F"
        )
        assert whatsapp_link("+62 819 1734 0215", "x") == "https://wa.me/6281917340215?text=x"
        assert whatsapp_link(None, "x") is None
        assert whatsapp_link("123", "x") is None

    def test_csv_guards_formulas_and_uses_international_numbers(self) -> None:
        from grouppass.notices import NoticeRow

        data = notices_csv([NoticeRow("=HYPERLINK(1)", "0819 1734 0215", "Salam\nbaris 2")])
        assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the names right
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows == [
            ["name", "phone", "message"],
            ["'=HYPERLINK(1)", "'+6281917340215", "Salam\nbaris 2"],
        ]


def test_no_notice_needs_the_spreadsheet_guard(demo_db: Path) -> None:
    """A broadcast tool sends the CSV's message as it is: a ``'`` the guard put in front
    (a line starting with "-", say) would reach the pilgrim. The demo's 15 notices, both
    languages, read clean."""
    from grouppass_tui.notices import group_notice_rows

    from grouppass import assess
    from grouppass.manifest.cells import needs_guard

    scenario = example()
    figures = assess(scenario, DAY, samples=100).groups[0]
    for lang in ("id", "en"):
        rows = group_notice_rows(scenario, scenario.groups[0], figures, DAY, lang)
        assert len(rows) == 15
        assert [r.name for r in rows if needs_guard(r.message)] == []


class TestNoticesScreen:
    """m: each member's message; o WhatsApp, c copy, x CSV, w text, l the other language."""

    def test_whatsapp_opens_the_member_s_link(self, demo_db: Path) -> None:
        opened: list[str] = []
        app = make_app(demo_db)
        app.opener = opened.append  # never a real browser in a test

        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter", "m")
            screen = pilot.app.screen
            assert isinstance(screen, NoticesScreen)
            await press(pilot, "o")
            first = screen.rows[0]
            assert opened == [whatsapp_link(first.phone, first.message)]
            assert opened[0].startswith("https://wa.me/6281917340215?text=")

        drive(app, body)

    def test_copy_export_csv_and_language(self, demo_db: Path, tmp_path: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter", "m")
            screen = pilot.app.screen
            assert isinstance(screen, NoticesScreen)
            assert "Dear Mr Muhammad Nashif," in screen.rows[0].message
            await press(pilot, "l")
            assert "Yth. Bapak Muhammad Nashif," in screen.rows[0].message
            await pilot.press("c")
            assert pilot.app.clipboard == screen.rows[0].message
            await press(pilot, "x")
            path = tmp_path / f"notices-{GROUP}-2018-03-15-id.csv"
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
            assert rows[0] == ["name", "phone", "message"]
            assert len(rows) == 1 + 15
            assert rows[1] == ["Muhammad Nashif", "'+6281917340215", screen.rows[0].message]
            await press(pilot, "w")
            text = (tmp_path / f"notices-{GROUP}-2018-03-15-id.txt").read_text(encoding="utf-8")
            assert text == screen.text

        drive(make_app(demo_db), body)

    def test_marked_members_only(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            await type_into(pilot, "#group-filter", "Zainal")
            await pilot.press("enter", "space", "escape")
            await press(pilot, "m")
            screen = pilot.app.screen
            assert isinstance(screen, NoticesScreen)
            assert [r.name for r in screen.rows] == ["Zainal Abidin"]

        drive(make_app(demo_db), body)
