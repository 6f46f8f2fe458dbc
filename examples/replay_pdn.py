"""Replay the June 2024 national data-centre outage (PDN), where switching cannot help.

    .venv/bin/python examples/replay_pdn.py [--seed N]

Ransomware at the national data centre stopped every passport office from
Thursday 20 June 2024; no date was given ("as soon as possible"); printing
resumed on 26 June. Both Surabaya offices run on the same broken system, so
grouppass never advises moving between them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from replay import main

HERE = Path(__file__).resolve().parent
DATES = ("2024-06-19", "2024-06-20", "2024-06-24", "2024-06-27", "2024-07-01")

if __name__ == "__main__":
    raise SystemExit(main([str(HERE / "pdn-2024.json"), *DATES, "--who", "syaiful", *sys.argv[1:]]))
