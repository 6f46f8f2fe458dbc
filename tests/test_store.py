"""The agency database: versions and conflicts, the audit trail, integrity, transactions."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import attrs
import orjson
import pytest
from gp_builders import D, make_group, make_office, make_scenario, outage, paid_member
from tinydb import Query, TinyDB

from grouppass.model import Agency, Member, Passport, Scenario, System
from grouppass.store import (
    SCHEMA_VERSION,
    ConflictError,
    DamagedStoreError,
    IntegrityError,
    NotFoundError,
    Ref,
    Store,
    StoreError,
    Transaction,
)

T0 = dt.datetime(2018, 3, 15, 2, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves by hand (the library never reads the real one)."""

    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def agency() -> Scenario:
    """Two offices on one system, an outage of the system, a group of three."""
    members = [
        paid_member("M1", "A", paid=D(2018, 2, 27), name="Muhammad Nashif bin Abdullah"),
        paid_member("M2", "A", paid=D(2018, 3, 1), name="Baiq Siti Rohani"),
        attrs.evolve(
            paid_member("M3", "B", paid=D(2018, 3, 2), name="Lalu Ahmad Zaini"),
            passport=Passport("B1234567", "LALU AHMAD ZAINI", D(2019, 1, 10)),
            nik="5271011204680003",
        ),
    ]
    return make_scenario(
        [
            make_office("A", systems=["S"], alternatives={"B": 1}),
            make_office("B", systems=["S"], alternatives={"A": 1}),
        ],
        [make_group(members, id="G", office="A")],
        [outage(systems=["S"], start=D(2018, 3, 5), low=D(2018, 3, 19))],
        systems=[System("S", "SIMKIM")],
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(tmp_path: Path, clock: Clock) -> Path:
    path = tmp_path / "agency.json"
    Store.create(path, scenario=agency(), clock=clock, actor="setup")
    return path


@pytest.fixture
def store(db: Path, clock: Clock) -> Iterator[Store]:
    with Store.open(db, clock=clock, actor="tester") as s:
        yield s


def member(store: Store, member_id: str) -> tuple[Member, int]:
    return store.member("G", member_id), store.version_of(Ref.member("G", member_id))


class TestOpenAndRead:
    def test_a_scenario_goes_in_and_comes_out_equal(self, store: Store) -> None:
        assert store.scenario() == agency()

    def test_reopening_reads_the_same(self, db: Path, store: Store, clock: Clock) -> None:
        m, v = member(store, "M2")
        store.save_member("G", attrs.evolve(m, phone="0819"), v)
        assert Store.open(db, clock=clock).scenario() == store.scenario()

    def test_missing_database_is_not_found_with_a_hint(self, tmp_path: Path) -> None:
        with pytest.raises(NotFoundError, match="grouppass db init"):
            Store.open(tmp_path / "nope.json")

    def test_open_create_makes_an_empty_one(self, tmp_path: Path) -> None:
        s = Store.open(tmp_path / "sub" / "new.json", create=True)
        assert s.groups() == () and s.revision == 0

    def test_create_refuses_an_existing_file(self, db: Path) -> None:
        with pytest.raises(StoreError, match="already exists"):
            Store.create(db)

    def test_every_file_is_private(self, db: Path, store: Store) -> None:
        m, v = member(store, "M1")
        store.save_member("G", attrs.evolve(m, phone="1"), v)
        names = sorted(os.listdir(db.parent))
        assert any(".backup-" in n for n in names)
        for name in names:
            assert stat.S_IMODE((db.parent / name).stat().st_mode) == 0o600, name

    def test_tinydb_reads_the_snapshot(self, db: Path, store: Store) -> None:
        store.compact()
        with TinyDB(db, access_mode="r") as tiny:
            assert len(tiny.table("members").all()) == 3
            assert tiny.table("offices").all()[0]["data"]["code"] == "A"


class TestVersions:
    def test_a_save_returns_the_new_version(self, store: Store) -> None:
        m, v = member(store, "M1")
        v2 = store.save_member("G", attrs.evolve(m, phone="0819"), v)
        assert v2 > v and store.version_of(Ref.member("G", "M1")) == v2
        assert store.member("G", "M1").phone == "0819"

    def test_saving_the_same_value_changes_nothing(self, store: Store) -> None:
        m, v = member(store, "M1")
        before = store.revision
        assert store.save_member("G", m, v) == v
        assert store.revision == before

    def test_a_stale_save_is_refused_naming_the_record(self, store: Store) -> None:
        m, v = member(store, "M1")
        store.save_member("G", attrs.evolve(m, phone="1"), v)
        with pytest.raises(ConflictError) as err:
            store.save_member("G", attrs.evolve(m, phone="2"), v)
        assert "member 'M1' of group 'G'" in str(err.value)
        assert err.value.expected == v and err.value.actual > v
        assert store.member("G", "M1").phone == "1"

    def test_two_stores_conflict_then_reload_and_retry(self, db: Path, clock: Clock) -> None:
        a, b = Store.open(db, clock=clock), Store.open(db, clock=clock)
        m, v = member(b, "M2")
        a.save_member("G", attrs.evolve(a.member("G", "M2"), phone="from a"), v)
        with pytest.raises(ConflictError):
            b.save_member("G", attrs.evolve(m, phone="from b"), v)
        # The refused save has already taken in a's change: read the member again.
        m, v = member(b, "M2")
        assert m.phone == "from a"
        b.save_member("G", attrs.evolve(m, phone="from b"), v)
        assert a.refresh() and a.member("G", "M2").phone == "from b"

    def test_editing_different_members_does_not_conflict(self, db: Path, clock: Clock) -> None:
        a, b = Store.open(db, clock=clock), Store.open(db, clock=clock)
        m1, v1 = member(a, "M1")
        m2, v2 = member(b, "M2")
        a.save_member("G", attrs.evolve(m1, phone="a"), v1)
        b.save_member("G", attrs.evolve(m2, phone="b"), v2)
        assert Store.open(db).group("G").member("M1").phone == "a"

    def test_adding_expects_version_zero(self, store: Store) -> None:
        new = Member("M4", "Zainal Abidin")
        assert store.save_member("G", new, 0) > 0
        with pytest.raises(ConflictError, match="already exists"):
            store.save_member("G", new, 0)

    def test_removing_with_a_stale_version_is_refused(self, store: Store) -> None:
        m, v = member(store, "M2")
        store.save_member("G", attrs.evolve(m, phone="x"), v)
        with pytest.raises(ConflictError):
            store.remove_member("G", "M2", v)
        store.remove_member("G", "M2", store.version_of(Ref.member("G", "M2")))
        assert [m.id for m in store.group("G").members] == ["M1", "M3"]
        with pytest.raises(ConflictError, match="removed"):
            store.save_member("G", m, v)

    def test_member_order_is_kept_and_new_ones_go_last(self, db: Path, store: Store) -> None:
        m, v = member(store, "M1")
        store.save_member("G", attrs.evolve(m, phone="x"), v)
        store.save_member("G", Member("M0", "Baru"), 0)
        expected = ["M1", "M2", "M3", "M0"]
        assert [m.id for m in store.group("G").members] == expected
        store.compact()
        assert [m.id for m in Store.open(db).group("G").members] == expected

    def test_save_group_keeps_members_apart(self, store: Store) -> None:
        g = store.group("G")
        store.save_group(
            attrs.evolve(g, name="Renamed", members=()), store.version_of(Ref.group("G"))
        )
        assert store.group("G").name == "Renamed" and len(store.group("G").members) == 3

    def test_add_and_remove_a_whole_group(self, store: Store) -> None:
        group = make_group([Member("X1", "Satu"), Member("X2", "Dua")], id="G2", office="B")
        version = store.add_group(group)
        assert store.group("G2") == group
        store.remove_group("G2", version)
        assert store.group_ids() == ("G",)
        with pytest.raises(NotFoundError):
            store.group("G2")


class TestIntegrity:
    def test_a_member_at_an_unknown_office_is_refused(self, db: Path, store: Store) -> None:
        size = (db.parent / "agency.json.log").stat().st_size
        m, v = member(store, "M1")
        assert m.application is not None
        bad = attrs.evolve(m, application=attrs.evolve(m.application, office="ZZZ"))
        with pytest.raises(IntegrityError, match="unknown office 'ZZZ'"):
            store.save_member("G", bad, v)
        assert (db.parent / "agency.json.log").stat().st_size == size
        assert store.member("G", "M1") == m

    def test_an_office_in_use_cannot_be_removed(self, store: Store) -> None:
        with pytest.raises(IntegrityError, match="cannot remove office 'B'"):
            store.remove_office("B", store.version_of(Ref.office("B")))
        assert {o.code for o in store.offices()} == {"A", "B"}

    def test_a_member_needs_its_group(self, store: Store) -> None:
        with pytest.raises(NotFoundError, match="no group 'nope'"):
            store.save_member("nope", Member("X", "Y"), 0)

    def test_wrong_types_are_a_programming_error(self, store: Store) -> None:
        with store.transaction() as tx, pytest.raises(TypeError):
            tx.put(Ref.office("A"), Member("X", "Y"), None)


class TestTransactions:
    def test_all_or_nothing(self, db: Path, store: Store) -> None:
        before = store.scenario()
        with pytest.raises(RuntimeError, match="boom"), store.transaction("two edits") as tx:
            m, v = member(store, "M1")
            tx.save_member("G", attrs.evolve(m, phone="1"), v)
            tx.remove_member("G", "M2", tx.version_of(Ref.member("G", "M2")))
            raise RuntimeError("boom")
        assert store.scenario() == before
        assert Store.open(db).scenario() == before

    def test_one_change_is_one_audit_entry(self, store: Store) -> None:
        with store.transaction("move two to B") as tx:
            for member_id in ("M1", "M2"):
                m = tx.member("G", member_id)
                assert m.application is not None
                app = attrs.evolve(m.application, office="B")
                tx.save_member(
                    "G", attrs.evolve(m, application=app), tx.version_of(Ref.member("G", member_id))
                )
        (entry,) = store.audit(1)
        assert entry.action == "move two to B"
        assert [c.ref.key for c in entry.changes] == [("G", "M1"), ("G", "M2")]

    def test_a_change_undone_within_a_transaction_is_no_change(self, store: Store) -> None:
        m, v = member(store, "M1")
        before = store.revision
        with store.transaction() as tx:
            tx.save_member("G", attrs.evolve(m, phone="1"), v)
            tx.save_member("G", m, tx.version_of(Ref.member("G", "M1")))
        assert store.revision == before and store.version_of(Ref.member("G", "M1")) == v

    def test_a_transaction_cannot_nest(self, store: Store) -> None:
        with store.transaction(), pytest.raises(RuntimeError, match="already open"):
            store.save_member("G", Member("X", "Y"), 0)


class TestAudit:
    def test_who_when_and_before_after(self, store: Store) -> None:
        m, v = member(store, "M3")
        later = T0 + dt.timedelta(hours=5)
        assert m.passport is not None
        passport = attrs.evolve(m.passport, number="B7654321")
        store.using(at=later, actor="siti").save_member("G", attrs.evolve(m, passport=passport), v)
        (entry,) = store.audit(1)
        assert (entry.actor, entry.at) == ("siti", later)
        (change,) = entry.changes
        (field,) = change.fields()
        assert (field.path, field.before, field.after) == (
            "passport.number",
            "B1234567",
            "B7654321",
        )
        text = "\n".join(entry.describe())
        assert "B******67 -> B******21" in text and "B1234567" not in text
        assert "B1234567" in "\n".join(entry.describe(show_pii=True))

    def test_the_actor_defaults_to_the_os_user(
        self, db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("getpass.getuser", lambda: "nashif")
        s = Store.open(db, clock=clock)
        m, v = member(s, "M1")
        s.save_member("G", attrs.evolve(m, phone="1"), v)
        assert s.audit(1)[0].actor == "nashif"

    def test_newest_first_with_a_limit_and_per_record(self, store: Store, clock: Clock) -> None:
        for phone in "123":
            clock.tick(minutes=1)
            m, v = member(store, "M2")
            store.save_member("G", attrs.evolve(m, phone=phone), v)
        entries = store.audit(2)
        assert [e.changes[0].fields()[0].after for e in entries] == ["3", "2"]
        history = store.audit(10, ref=Ref.member("G", "M2"))
        assert len(history) == 4  # the creation and three edits
        assert history[-1].changes[0].kind == "added"

    def test_the_time_comes_from_the_caller_or_the_clock(self, db: Path) -> None:
        s = Store.open(db)  # no clock
        m, v = member(s, "M1")
        with pytest.raises(ValueError, match="needs a time"):
            s.save_member("G", attrs.evolve(m, phone="1"), v)
        with pytest.raises(ValueError, match="time zone"):
            s.using(at=dt.datetime(2018, 3, 15)).save_member("G", attrs.evolve(m, phone="1"), v)
        s.using(at=T0).save_member("G", attrs.evolve(m, phone="1"), v)
        assert s.audit(1)[0].at == T0


class TestRefresh:
    def test_refresh_is_false_when_nothing_changed(self, store: Store) -> None:
        assert store.refresh() is False

    def test_revision_goes_up_with_each_change(self, db: Path, store: Store, clock: Clock) -> None:
        other = Store.open(db, clock=clock)
        start = store.revision
        m, v = member(other, "M1")
        other.save_member("G", attrs.evolve(m, phone="1"), v)
        assert store.revision == start and store.refresh() and store.revision == start + 1

    def test_groups_are_rebuilt_only_when_they_change(self, store: Store) -> None:
        first = store.group("G")
        assert store.group("G") is first
        m, v = member(store, "M1")
        store.save_member("G", attrs.evolve(m, phone="1"), v)
        assert store.group("G") is not first


class TestSeams:
    def test_a_transaction_needs_only_its_host(self) -> None:
        # Transaction knows its store through begin/end alone: any host will do.
        from grouppass.store._state import State
        from grouppass.store.transaction import Pending

        class Host:
            def __init__(self) -> None:
                self.state = State(seq=41)
                self.ended: list[tuple[Pending, bool]] = []

            def begin(self) -> State:
                return self.state

            def end(self, pending: Pending, *, ok: bool) -> None:
                self.ended.append((pending, ok))

        host = Host()
        with Transaction(host, "by hand", T0, "siti") as tx:
            assert tx.seq == 42
            tx.put(Ref.system("S"), System("S", "SIMKIM"), 0)
        ((pending, ok),) = host.ended
        assert ok and pending.seq == 42 and pending.action == "by hand"
        assert pending.before == {Ref.system("S"): None}
        assert host.state.get(Ref.system("S")) is not None  # the host's records, changed

    def test_reads_outside_the_block_are_refused(self, store: Store) -> None:
        with pytest.raises(RuntimeError, match="with"):
            store.transaction().member("G", "M1")

    def test_shortcuts_are_the_transaction_methods(self, store: Store) -> None:
        assert Store.save_member.__doc__ == Transaction.save_member.__doc__
        assert store.save_member.__name__ == "save_member"

    def test_using_names_the_time_and_the_actor(self, store: Store) -> None:
        m, v = member(store, "M1")
        later = T0 + dt.timedelta(days=2)
        store.using(at=later, actor="nashif").save_member("G", attrs.evolve(m, phone="9"), v)
        (entry,) = store.audit(1)
        assert (entry.at, entry.actor, entry.action) == (
            later,
            "nashif",
            "save member M1 of group G",
        )


class TestTinyDBView:
    def test_a_read_only_view_with_every_change(self, db: Path, store: Store) -> None:
        m, v = member(store, "M1")
        store.save_member("G", attrs.evolve(m, phone="in the log only"), v)
        view = store.tinydb()
        Doc = Query()
        (found,) = view.table("members").search(Doc.data.phone == "in the log only")
        assert found["group"] == "G" and found["data"]["id"] == "M1"
        at_b = view.table("members").search(Doc.data.application.office == "B")
        assert [d["data"]["id"] for d in at_b] == ["M3"]
        assert view.table("meta").all()[0]["seq"] == store.revision

    def test_it_refuses_every_write(self, db: Path, store: Store) -> None:
        view = store.tinydb()
        before = {p.name: p.read_bytes() for p in db.parent.iterdir()}
        members = view.table("members")
        for write in (
            lambda: members.insert({"data": {"id": "X"}}),
            lambda: members.update({"version": 0}),
            lambda: members.remove(doc_ids=[1]),
            lambda: members.truncate(),
            lambda: view.drop_table("members"),
            lambda: view.drop_tables(),
        ):
            with pytest.raises(StoreError, match="read-only"):
                write()
        assert len(view.table("members").all()) == 3  # the view itself unchanged
        assert view.table("members").get(doc_id=1)["version"] > 0  # type: ignore[index]
        assert {p.name: p.read_bytes() for p in db.parent.iterdir()} == before


class TestAgency:
    AMANAH = Agency("PT Amanah Lombok", contact="Siti Rohani", phone="0370 123456")

    def test_saved_read_and_audited(self, db: Path, store: Store) -> None:
        assert store.agency() is None and store.version_of(Ref.agency()) == 0
        version = store.save_agency(self.AMANAH, 0)
        assert store.agency() == self.AMANAH and store.version_of(Ref.agency()) == version
        again = Store.open(db)
        assert again.agency() == self.AMANAH
        assert again.scenario().agency == self.AMANAH
        (entry,) = again.audit(1)
        assert entry.action == "save the agency"
        assert entry.changes[0].describe() == "the agency added"
        assert again.tinydb().table("agency").all()[0]["data"] == {
            "name": "PT Amanah Lombok", "contact": "Siti Rohani", "phone": "0370 123456",
        }  # fmt: skip
        with pytest.raises(ConflictError, match="the agency already exists"):
            store.save_agency(Agency("Other"), 0)

    def test_a_scenario_with_an_agency_goes_in_and_out(self, tmp_path: Path) -> None:
        scenario = attrs.evolve(agency(), agency=self.AMANAH)
        path = tmp_path / "with-agency.json"
        Store.create(path, scenario=scenario, at=T0)
        assert Store.open(path).scenario() == scenario

    def test_it_can_be_undone(self, store: Store) -> None:
        store.save_agency(self.AMANAH, 0)
        store.undo_last()
        assert store.agency() is None

    def test_a_bad_agency_record_is_located(self, db: Path, store: Store) -> None:
        store.save_agency(self.AMANAH, 0)
        store.compact()
        top = orjson.loads(db.read_bytes())
        top["agency"]["1"]["data"]["name"] = 7
        db.write_bytes(orjson.dumps(top))
        with pytest.raises(DamagedStoreError, match=rf"{db}: agency\.name"):
            Store.open(db)

    def test_a_schema_1_database_opens_after_a_backup(self, db: Path) -> None:
        top = orjson.loads(db.read_bytes())
        top["meta"]["1"]["schema"] = 1
        db.write_bytes(orjson.dumps(top))
        store = Store.open(db)
        assert store.scenario() == agency() and store.agency() is None
        assert orjson.loads(db.read_bytes())["meta"]["1"]["schema"] == SCHEMA_VERSION == 2
        assert db.with_name("agency.backup-schema1.json").exists()
