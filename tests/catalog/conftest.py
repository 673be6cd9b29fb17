"""Fixtures shared by the catalog tests: the emulated arXiv (add, enrich, from-issue) on a fake clock."""

from tests.support.arxiv import clock, emu  # noqa: F401
