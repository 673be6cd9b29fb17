"""Shared set-up for the tests of add, enrich and from-issue: the emulated arXiv and a small catalog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog.links.config import CheckConfig
from catalog.links.http import FakeClock
from tests.support.emulator import Emulator
from tests.support.factory import write_paper

DSNOT = "2310.08915"
DSNOT_TITLE = "Dynamic Sparse No Training: Training-Free Fine-tuning for Sparse LLMs"
DSNOT_AUTHORS = (
    "Yuxin Zhang",
    "Lirui Zhao",
    "Mingbao Lin",
    "Yunyun Sun",
    "Yiwu Yao",
    "Xingjia Han",
    "Jared Tanner",
    "Shiwei Liu",
    "Rongrong Ji",
)
DSNOT_ABSTRACT = (
    "The ever-increasing large language models (LLMs), though opening a potential path for the upcoming artificial general "
    "intelligence, sadly drops a daunting obstacle on the way towards their on-device deployment."
)
TODAY = dt.date(2026, 1, 5)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emu(clock: FakeClock) -> Iterator[Emulator]:
    emulator = Emulator(clock=clock.monotonic)
    emulator.add_paper(
        DSNOT,
        DSNOT_TITLE,
        3,
        authors=DSNOT_AUTHORS,
        abstract=DSNOT_ABSTRACT,
        published="2023-10-13T09:00:00Z",
        updated="2024-03-01T10:00:00Z",
    )
    with emulator:
        yield emulator


def config_for(emu: Emulator, **overrides: Any) -> CheckConfig:
    values: dict[str, Any] = {**emu.endpoints(), "timeout": 2.0, "max_wait": 60.0, "max_attempts": 2}
    values.update(overrides)
    return CheckConfig(**values)


def small_catalog(folder: Path) -> Path:
    """Three valid entries, one of them Wanda (arXiv 2306.11695)."""
    write_paper(folder, id="sample-paper")
    write_paper(
        folder,
        id="a-simple-and-effective-pruning-approach-for-large-language",
        title="A Simple and Effective Pruning Approach for Large Language Models",
        url="https://arxiv.org/abs/2306.11695",
        venue="ICLR",
        year=2024,
        algorithm="Wanda",
        code=[{"url": "https://github.com/locuslab/wanda", "framework": "PyTorch", "official": True}],
        models=["llm"],
        tags={"when": ["after-training"]},
        sections=["after-training-llm"],
    )
    write_paper(
        folder,
        id="openreview-paper",
        title="Pruning at a Glance",
        url="https://openreview.net/forum?id=AbCdEf123",
        venue="ICLR",
        year=2022,
        code=None,
        algorithm=None,
    )
    return folder
