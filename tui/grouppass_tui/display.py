"""How figures look: risk as word + glyph + colour, percentages, slack.

Risk is never shown by colour alone (colour-blind organisers, monochrome
terminals, printed screenshots): each level has its own glyph and word, and
the colour only repeats them. Colours come from the active theme so every
theme stays readable.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from rich.text import Text

from grouppass.display import RISK_SYMBOL
from grouppass.display import percent as _percent
from grouppass.pii import mask_number
from grouppass.results import Risk
from grouppass_tui.i18n import t

__all__ = ["GLYPHS", "mask", "percent", "risk_style", "risk_text", "risk_word", "slack_text"]

GLYPHS: Mapping[Risk, str] = RISK_SYMBOL
"""One shape per level, distinct in outline so they read without colour (the library's set,
so the TUI and ``grouppass check`` show the same)."""

_THEME_VAR: Mapping[Risk, str] = {
    Risk.READY: "success",
    # Not $primary: that is the table cursor's background, and the word would vanish on it.
    Risk.ON_TRACK: "foreground",
    Risk.AT_RISK: "warning",
    Risk.LATE: "error",
}

_FALLBACK = {"success": "green", "foreground": "default", "warning": "yellow", "error": "red"}


def risk_word(risk: Risk) -> str:
    """``berisiko`` / ``at risk``."""
    return t(f"risk.{risk.value}")


def risk_style(risk: Risk, theme: Mapping[str, str] | None = None) -> Style:
    """The theme's colour for ``risk`` (bold from at-risk up, so it reads in grey too)."""
    var = _THEME_VAR[risk]
    colour = (theme or {}).get(var) or _FALLBACK[var]
    return Style(color=colour, bold=risk.severity >= Risk.AT_RISK.severity)


def risk_text(risk: Risk, theme: Mapping[str, str] | None = None) -> Text:
    """``▲ berisiko`` in the theme's warning colour."""
    return Text(f"{GLYPHS[risk]} {risk_word(risk)}", style=risk_style(risk, theme), end="")


def percent(p: float | None, target: float | None = None) -> str:
    """``42%``; ``<1%`` and ``>99%`` rather than a misleading 0% or 100%: the library's
    one format (:func:`grouppass.display.percent`); with ``target``, never a number
    that contradicts the risk word."""
    return _percent(p, target=target)


def slack_text(days: int | None, theme: Mapping[str, str] | None = None) -> Text:
    """``+12 hr`` / ``-3 hr`` (days to spare at P90), negative in the error colour."""
    if days is None:
        return Text("–", end="")
    style = Style(color=(theme or {}).get("error") or "red", bold=True) if days < 0 else Style()
    return Text(t("slack.days", days=f"{days:+d}"), style=style, end="")


def mask(value: str | None) -> str:
    """``B******67``: passport numbers and NIK are personal data, masked on screen by the
    library's one rule (:func:`grouppass.pii.mask_number`)."""
    return mask_number(value) if value else "–"
