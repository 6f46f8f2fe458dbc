"""Replay the March 2018 Mataram outage day by day, as the organiser saw it.

    .venv/bin/python examples/replay_mataram.py [--seed N]

From 5 March 2018 Kanim Mataram printed no passports; the head of office
said on 15 March "maybe next week, not certain" and sent urgent applicants
to ULP Lombok Timur. Each line is the group's standing on one date: facts
dated later (stage dates, the 15 March report) are unknown on that date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from replay import main

HERE = Path(__file__).resolve().parent
DATES = ("2018-03-01", "2018-03-05", "2018-03-15", "2018-03-26", "2018-04-09")

if __name__ == "__main__":
    raise SystemExit(
        main([str(HERE / "mataram-2018.json"), *DATES, "--who", "nashif", *sys.argv[1:]])
    )
