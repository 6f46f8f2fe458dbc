"""Keeping Python's cyclic garbage collector off the agency's data while the organiser works.

The app holds the whole agency (10,000 travellers: millions of small objects)
and its figures for as long as it runs. The collector's full pass scans every
one of them, in whichever thread happens to allocate: on the UI thread that
was a 300-400 ms freeze, now and then in the middle of a save's redraw.
Those objects are values without reference cycles, freed by reference
counting when they are replaced, so the collector has nothing to find in
them: :func:`settle` takes everything alive out of its sight (``gc.freeze``)
once they are loaded, and :func:`release` gives them back when the app ends.
What was alive at a freeze and later becomes cyclic garbage (a screen closed
since) waits for :func:`release`: a screen or two per reload.
"""

from __future__ import annotations

import gc

__all__ = ["release", "settle"]


def settle() -> None:
    """Every object alive now is long-lived: the collector's passes skip it from here on."""
    gc.freeze()


def release() -> None:
    """Hand every frozen object back to the collector (the app is done with them)."""
    gc.unfreeze()
