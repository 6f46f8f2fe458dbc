"""Undo (issue 9.4): the last change, or any change nothing has touched since, as a new change."""

from __future__ import annotations

import io
from pathlib import Path

import attrs
import pytest
from test_store import Clock, agency

from grouppass.cli import main
from grouppass.formats import dump_scenario
from grouppass.model import Member
from grouppass.store import (
    IntegrityError,
    NothingToUndoError,
    Ref,
    Store,
    StoreError,
    UndoConflictError,
)
from grouppass.store.repair import repair

M1, M2 = Ref.member("G", "M1"), Ref.member("G", "M2")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(tmp_path: Path, clock: Clock) -> Path:
    path = tmp_path / "agency.json"
    Store.create(path, scenario=agency(), clock=clock, actor="setup")  # change #1
    return path


@pytest.fixture
def store(db: Path, clock: Clock) -> Store:
    return Store.open(db, clock=clock, actor="siti")


def phone(store: Store, ref: Ref, value: str) -> int:
    m = store.member(*ref.key)
    return store.save_member("G", attrs.evolve(m, phone=value), store.version_of(ref))


class TestUndo:
    def test_an_edit_is_undone_as_a_new_change(self, store: Store) -> None:
        phone(store, M1, "0819")  # #2
        undone = store.undo_last()
        assert (undone.seq, undone.undid) == (3, 2)
        assert undone.action == "undo #2: save member M1 of group G"
        (change,) = undone.changes
        assert change.ref == M1 and change.before is not None and change.after is not None
        assert (change.before["phone"], change.after.get("phone")) == ("0819", None)
        assert store.member("G", "M1").phone is None
        assert store.version_of(M1) == 3  # a new version: a stale editor conflicts
        entry = store.audit(1)[0]
        assert (entry.seq, entry.actor, entry.action) == (3, "siti", undone.action)
        assert Store.open(store.path).member("G", "M1").phone is None

    def test_undoing_an_undo_redoes(self, store: Store) -> None:
        phone(store, M1, "0819")  # #2
        store.undo_last()  # #3
        redone = store.undo_last()  # #4
        assert redone.action == "undo #3: undo #2: save member M1 of group G"
        assert store.member("G", "M1").phone == "0819"

    def test_an_older_change_nothing_touched_since(self, store: Store) -> None:
        phone(store, M1, "one")  # #2
        phone(store, M2, "two")  # #3
        store.undo(2)
        assert store.member("G", "M1").phone is None
        assert store.member("G", "M2").phone == "two"

    def test_a_record_changed_again_since_is_a_conflict(self, store: Store) -> None:
        phone(store, M1, "one")  # #2
        phone(store, M1, "two")  # #3
        revision = store.revision
        with pytest.raises(UndoConflictError) as err:
            store.undo(2)
        assert (err.value.ref, err.value.seq, err.value.by) == (M1, 2, 3)
        assert "changed again by change #3 (siti: save member M1 of group G)" in str(err.value)
        assert store.revision == revision and store.member("G", "M1").phone == "two"

    def test_a_change_made_elsewhere_meanwhile_is_a_conflict(
        self, db: Path, store: Store, clock: Clock
    ) -> None:
        phone(store, M1, "mine")  # #2, seen by this store
        phone(Store.open(db, clock=clock), M1, "theirs")  # #3, not yet seen
        with pytest.raises(UndoConflictError):
            store.undo(2)
        assert Store.open(db).member("G", "M1").phone == "theirs"

    def test_nothing_to_undo(self, tmp_path: Path, store: Store, clock: Clock) -> None:
        empty = Store.open(tmp_path / "empty.json", create=True, clock=clock)
        with pytest.raises(NothingToUndoError, match="no changes yet"):
            empty.undo_last()
        with pytest.raises(NothingToUndoError, match="no change #99"):
            store.undo(99)
        assert isinstance(NothingToUndoError("x"), StoreError)

    def test_an_import_of_two_is_undone_whole(self, store: Store) -> None:
        with store.transaction("import two") as tx:
            tx.save_member("G", Member("N1", "Baru Satu"), 0)
            tx.save_member("G", Member("N2", "Baru Dua"), 0)
        undone = store.undo_last()
        assert {c.ref for c in undone.changes} == {Ref.member("G", "N1"), Ref.member("G", "N2")}
        assert [m.id for m in store.group("G").members] == ["M1", "M2", "M3"]

    def test_the_first_change_of_a_rebuilt_log_is_not_undone(
        self, db: Path, store: Store, clock: Clock
    ) -> None:
        db.write_bytes(b"{")
        db.with_name("agency.json.log").write_bytes(b"")  # nothing left but the backup
        repair(db, clock=clock, accept_loss=True)
        with pytest.raises(NothingToUndoError, match="made this database anew"):
            Store.open(db, clock=clock).undo_last()


class TestBringBack:
    def test_a_removed_member_comes_back_as_it_was(self, store: Store) -> None:
        before = store.member("G", "M2")
        store.remove_member("G", "M2", store.version_of(M2))  # #2
        phone(store, M1, "later")  # #3: the removal is no longer the last change
        back = store.restore_removed(M2)
        assert (back.seq, back.undid) == (4, 2)
        assert back.action == "bring back member 'M2' of group 'G' (removed by #2)"
        assert store.member("G", "M2") == before
        assert store.member("G", "M1").phone == "later"

    def test_a_removed_group_comes_back_with_its_members(self, store: Store) -> None:
        group = store.group("G")
        store.remove_group("G", store.version_of(Ref.group("G")))
        store.restore_removed(Ref.group("G"))
        assert store.group("G") == group

    def test_what_is_there_or_never_was_removed(self, store: Store) -> None:
        with pytest.raises(StoreError, match="exists"):
            store.restore_removed(M1)
        with pytest.raises(NothingToUndoError, match="no removal"):
            store.restore_removed(Ref.member("G", "NEVER"))

    def test_a_member_without_its_group_is_refused(self, store: Store) -> None:
        store.remove_member("G", "M2", store.version_of(M2))
        store.remove_group("G", store.version_of(Ref.group("G")))
        with pytest.raises(IntegrityError, match="there is no group 'G'"):
            store.restore_removed(M2)


class TestCommand:
    @pytest.fixture
    def cli_db(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
        scenario = tmp_path / "s.json"
        dump_scenario(agency(), scenario)
        path = tmp_path / "cli.json"
        assert main(["db", "init", "--db", str(path), "--from", str(scenario)]) == 0
        store = Store.open(path, clock=Clock())
        store.remove_member("G", "M3", store.version_of(Ref.member("G", "M3")))  # #2
        capsys.readouterr()
        return path

    def test_it_says_what_it_will_undo_and_needs_yes_without_a_terminal(
        self, cli_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        code = main(["db", "undo", "--db", str(cli_db)])
        out, err = capsys.readouterr()
        assert code == 2 and "give --yes to undo it" in err
        assert "remove member M3 of group G" in out and "member 'M3' of group 'G' removed" in out
        assert Store.open(cli_db).revision == 2  # nothing changed

    def test_yes_undoes_a_removal(self, cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["db", "undo", "--db", str(cli_db), "--yes"]) == 0
        out = capsys.readouterr().out
        assert "undone as change #3 undo #2: remove member M3 of group G" in out
        assert "5271011204680003" not in out  # personal data masked
        assert Store.open(cli_db).member("G", "M3").passport is not None

    def test_asked_at_a_terminal(
        self, cli_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        monkeypatch.setattr("sys.stdin", Terminal("n\n"))
        assert main(["db", "undo", "--db", str(cli_db)]) == 1
        assert "Undo it? [y/N]" in capsys.readouterr().err
        assert Store.open(cli_db).revision == 2
        monkeypatch.setattr("sys.stdin", Terminal("y\n"))
        assert main(["db", "undo", "--db", str(cli_db)]) == 0
        assert Store.open(cli_db).revision == 3

    def test_a_chosen_change(self, cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        code = main(["db", "undo", "--db", str(cli_db), "--change", "7", "--yes"])
        assert code == 2 and "no change #7" in capsys.readouterr().err
