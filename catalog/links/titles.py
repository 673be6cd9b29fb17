"""Is the paper behind a link the paper the catalog names? Only a clear "no" counts.

A link to the wrong arXiv id is a real and common defect (a digit swapped), but titles on arXiv
and in the list differ in small ways all the time (a subtitle, a typo, British spelling). So a
mismatch needs all three: low word overlap, low character similarity, and neither title
containing the other.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from catalog.normalize import normalize_title, word_overlap


def clearly_different(catalog_title: str, remote_title: str) -> bool:
    a, b = normalize_title(catalog_title), normalize_title(remote_title)
    if not a or not b or not any(ch.isalpha() for ch in b):
        return False  # nothing to compare (arXiv has answered with the title "0" before)
    if a in b or b in a:
        return False
    if word_overlap(a, b) >= 0.5:
        return False
    return SequenceMatcher(None, a, b).ratio() < 0.6
