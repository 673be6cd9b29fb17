"""One small reader per list layout, chosen by what the file holds (as Pelican picks a reader).

A reader is a module-level object with a ``name``, a ``looks_for`` sentence (what it reads, for
the message when nothing is read), ``score(text)`` (how many lines look like its layout) and
``read(text, tax)`` returning rows and skipped lines. :func:`choose` takes the reader with the
highest score; adding a layout is adding a module and one line to :data:`READERS`.
The shared types live in :mod:`catalog.importers.readers.base`.
"""

from __future__ import annotations

from catalog.importers.readers.badge_table import BADGE_TABLE
from catalog.importers.readers.base import Reader, ReadResult
from catalog.importers.readers.key_bullets import KEY_BULLETS
from catalog.importers.readers.tables import NUMBERED_TABLES, PLAIN_TABLES
from catalog.importers.readers.year_bullets import YEAR_BULLETS

__all__ = ["READERS", "ReadResult", "Reader", "by_name", "choose", "looked_for", "readers"]

# The registry, most specific first (a tie in score goes to the earlier one).
READERS: tuple[Reader, ...] = (NUMBERED_TABLES, PLAIN_TABLES, BADGE_TABLE, YEAR_BULLETS, KEY_BULLETS)


def readers() -> tuple[Reader, ...]:
    """Every registered reader, in registry order."""
    return READERS
def choose(text: str) -> Reader | None:
    """The reader for ``text``: the one that recognises the most lines, or None when none does."""
    best: Reader | None = None
    best_score = 0
    for reader in readers():
        s = reader.score(text)
        if s > best_score:
            best, best_score = reader, s
    return best


def by_name(name: str) -> Reader:
    for reader in readers():
        if reader.name == name:
            return reader
    raise KeyError(f"no reader named {name!r}; known: {', '.join(r.name for r in readers())}")


def looked_for() -> str:
    """One line per reader: what the importer looks for (for the 'read nothing' message)."""
    return "\n".join(f"  {r.name}: {r.looks_for}" for r in readers())
