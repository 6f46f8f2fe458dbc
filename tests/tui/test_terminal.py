"""``grouppass demo`` in a real terminal (tmux): what a person would see and do.

CI installs tmux (.ci/run); the test drives the installed ``grouppass``
command with send-keys and reads the screen with capture-pane.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _command() -> list[str]:
    script = Path(sys.executable).with_name("grouppass")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from grouppass.cli import main; sys.exit(main())"]


class Tmux:
    """One detached tmux session running a command in a 100x30 terminal, on a tmux server
    of its own (``-L``): a session on a shared server takes the size of the other
    clients' (the developer's own tmux, or another test running beside it)."""

    def __init__(self, tmp: Path) -> None:
        self.name = f"grouppass-test-{uuid.uuid4().hex[:8]}"
        self.tmp = tmp

    def _tmux(self, *args: str) -> list[str]:
        return ["tmux", "-L", self.name, *args]

    def start(self, argv: list[str]) -> None:
        env = {
            "GROUPPASS_CONFIG_DIR": str(self.tmp / "config"),
            "LANG": "C.UTF-8",
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
        }
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # Keep the pane open after exit so the test can read the exit status.
        run = f"env {exports} {shlex.join(argv)}; echo EXITED $?; sleep 30"
        shell = f"cd {shlex.quote(str(self.tmp))} && {run}"
        subprocess.run(
            self._tmux("new-session", "-d", "-s", self.name, "-x", "100", "-y", "30", shell),
            check=True,
            env={**os.environ, "TMUX": ""},
        )

    def screen(self) -> str:
        out = subprocess.run(
            self._tmux("capture-pane", "-p", "-t", self.name),
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(self._tmux("send-keys", "-t", self.name, *keys), check=True)

    def type(self, *keys: str) -> None:
        """Each key (or text) on its own, at a person's pace: a burst can arrive as one read,
        and a form that has just opened is still putting its focus on the first field."""
        for key in keys:
            time.sleep(0.4)
            self.keys(key)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def stop(self) -> None:
        subprocess.run(self._tmux("kill-server"), capture_output=True)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    if shutil.which("tmux") is None:  # CI installs it; say so plainly elsewhere
        pytest.fail("tmux is not installed (apt-get install tmux)")
    session = Tmux(tmp_path)
    yield session
    session.stop()


class TestDemoInATerminal:
    """The README's main command, as an organiser meets it."""

    def test_demo_opens_the_story_and_quits_cleanly(self, tmux: Tmux) -> None:
        tmux.start([*_command(), "demo", "--lang", "en"])
        screen = tmux.wait_for("Figures for Thursday, 15 March 2018")
        assert "DEMO" in screen
        screen = tmux.wait_for("✓4")  # the figures arrived: four hold their passports
        assert "Umrah Ramadan 1439" in screen
        tmux.keys("Enter")
        screen = tmux.wait_for("Muhammad Nashif")
        assert "Passports in hand by Tuesday, 24 April 2018" in screen
        assert "Umm al-Qura" in screen
        tmux.keys("L")  # Bahasa Indonesia
        screen = tmux.wait_for("Data per Kamis, 15 Maret 2018")
        tmux.keys("q")
        tmux.wait_for("EXITED 0")


class TestFirstRunInATerminal:
    """``grouppass tui`` on a new file: the welcome's steps to a group with its figures."""

    def test_empty_database_to_a_checked_group(self, tmux: Tmux, tmp_path: Path) -> None:
        manifest = tmp_path / "rombongan.csv"
        manifest.write_text(
            "nama,no_hp,kantor,tgl_janji,tgl_rekam,tgl_bayar\n"
            "Siti Aminah Hasan,0819 1111 2222,MTR,26/02/2018,27/02/2018,01/03/2018\n"
            "Ahmad Fauzi Rahman,0819 3333 4444,MTR,,,\n",
            encoding="utf-8",
        )
        db = tmp_path / "musim.json"
        tmux.start([*_command(), "tui", "--db", str(db), "--lang", "en", "--as-of", "2018-03-15"])
        tmux.wait_for("The database is empty")
        tmux.keys("Enter")
        tmux.wait_for("The agency (it signs the notices)")
        tmux.type("PT Amanah Lombok Wisata", "Tab", "Hj. Siti Aminah", "Tab", "0370 634512")
        tmux.wait_for("0370 634512")
        tmux.type("C-s")
        tmux.wait_for("Add an office")
        tmux.type("MTR", "Tab", "Kantor Imigrasi Mataram")
        tmux.wait_for("Kantor Imigrasi Mataram")
        tmux.type("C-s")
        tmux.wait_for("Group name *")
        tmux.type("Umrah Ramadan 1439")
        tmux.wait_for("Umrah Ramadan 1439")
        tmux.type("Tab", "Tab")
        time.sleep(0.5)  # focus reaches the date field before it is typed into
        tmux.type("15/05/2018")
        tmux.wait_for("= Tuesday, 15 May 2018")
        tmux.keys("C-s")
        tmux.wait_for("Import a manifest")
        tmux.type(str(manifest), "Enter")
        tmux.wait_for("2 rows: 2 new, 0 updated, 0 unchanged. Ready")
        tmux.keys("C-s")
        tmux.wait_for("Imported into umrah-ramadan-1439: 2 new")
        screen = tmux.wait_for("1 group · 2 travellers")
        assert "Umrah Ramadan 1439" in screen
        tmux.keys("Enter")
        screen = tmux.wait_for("Ahmad Fauzi Rahman")
        assert "Passports in hand by Tuesday, 24 April 2018" in screen
        # No dates yet: the row says "not started", never just "on track".
        tmux.wait_for("not started")
        tmux.keys("q")
        tmux.wait_for("EXITED 0")
