"""Fixtures for link-checker tests: a fake clock, the emulator, config and catalogs in tmp folders."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from catalog.links.cache import LinkCache
from catalog.links.checker import CheckReport, Clients, check_links, make_clients
from catalog.links.config import CheckConfig
from catalog.links.http import FakeClock
from catalog.load import load_catalog
from tests.support.emulator import Emulator
from tests.support.factory import write_paper

TOKEN = "ghp_TESTTOKEN0123456789secret"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emu(clock: FakeClock) -> Iterator[Emulator]:
    emulator = Emulator(clock=clock.monotonic, token=TOKEN)
    emulator.epoch = clock.time
    with emulator:
        yield emulator


def config_for(emu: Emulator, **overrides: Any) -> CheckConfig:
    values: dict[str, Any] = {**emu.endpoints(), "timeout": 2.0, "max_wait": 60.0, "token": TOKEN}
    values.update(overrides)
    return CheckConfig(**values)


class Run:
    """One checker run with its clients kept, so tests can look at what was sent."""

    def __init__(self, report: CheckReport, clients: Clients):
        self.report = report
        self.clients = clients

    def cls(self, paper_id: str, field: str = "url") -> str:
        return self.link(paper_id, field).cls

    def link(self, paper_id: str, field: str = "url"):
        return next(r for r in self.report.links if r.paper_id == paper_id and r.field == field)

    def urls(self) -> list[str]:
        return [url for group in self.clients.all().values() for c in group for _, _, url in c.log]


def run_check(folder: Path, config: CheckConfig, clock: FakeClock, cache: LinkCache | None = None, **kwargs: Any) -> Run:
    catalog = load_catalog(folder)
    clients = make_clients(config, clock, random.Random(1))
    try:
        report = check_links(catalog, config, cache or LinkCache(None), clock=clock, clients=clients, **kwargs)
    finally:
        clients.close()
    for url in Run(report, clients).urls():
        assert urlsplit(url).hostname == "127.0.0.1", url
    return Run(report, clients)


def paper(folder: Path, pid: str, *, url: str, title: str | None = None, code: list[str] | None = None, **extra: Any) -> Path:
    """A valid paper with the given links (no code unless given)."""
    return write_paper(
        folder,
        id=pid,
        title=title or f"Paper {pid.replace('-', ' ')}",
        url=url,
        code=[{"url": c, "framework": "PyTorch"} for c in (code or [])] or None,
        year=2024,
        **extra,
    )


def assert_loopback_only(emu: Emulator) -> None:
    for r in emu.requests():
        assert r.client == "127.0.0.1"
        assert r.host.startswith("127.0.0.1:")


def assert_token_only_to_api(emu: Emulator) -> None:
    for r in emu.requests():
        if r.route not in ("graphql", "rest"):
            assert "authorization" not in r.headers, r
        assert TOKEN not in r.path and TOKEN.encode() not in r.body
