"""Small catalogs for the README tests: every cell format, placement rule and hostile text once.

Built with the shared factory so each entry is a valid paper; written to a temporary folder and
loaded with the real loader, exactly as the CLI does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from catalog.catalog import Catalog
from catalog.load import load_catalog
from tests.support.factory import write_paper

HOSTILE_TITLES = (
    "Pipes | split | cells",
    "<script>alert(1)</script> and <img src=https://evil.example/x.png onerror=alert(1)>",
    "[Click me](https://evil.example/) and ![img](https://evil.example/i.png) links",
    "Backticks `code` and *stars* and _under_ and ~~strike~~ text",
    "Ends with a backslash \\",
    "Autolinks https://evil.example/path and www.evil.example here",
    "Entities &lt;b&gt; and &#124; and &amp; stay text",
    "Brackets ] ) ( [ in a weird order",
)


def _entry(i: int, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": f"paper-{i:02d}",
        "title": f"Paper number {i} on pruning",
        "url": f"https://example.org/papers/{i}",
        "code": [],
    }
    data.update(overrides)
    return data


def standard_entries() -> list[dict[str, Any]]:
    """Entries covering the cell formats and the section rules of the list."""
    return [
        # In three sections, two of them split by year; with an award and a journal version.
        _entry(
            1,
            title="Optimal Brain Compression: A Framework",
            venue="NeurIPS",
            award="Oral",
            year=2022,
            other_venues=[{"venue": "TPAMI", "year": 2024}],
            structure=["W", "N:M"],
            pioneer=True,
            models=["cnn", "bert"],
            tags={"when": ["post-training"]},
            sections=["after-training-cnn", "after-training-bert", "post-training"],
            code=[
                {"url": "https://github.com/example/obc", "framework": "PyTorch", "official": True},
                {"url": "https://github.com/other/obc-tf", "framework": "TensorFlow", "official": False},
                {"url": "https://github.com/third/obc", "framework": "JAX"},
            ],
            tasks=["Image Classification", "Question Answering"],
        ),
        # Old enough for the "2017 and earlier" table of after-training CNNs.
        _entry(
            2,
            title="Optimal Brain Damage",
            venue="NIPS",
            year=1989,
            structure=["W"],
            algorithm="OBD",
            sections=["after-training-cnn"],
            tasks=[],
        ),
        # Code announced, code gone, Lua framework, other structure.
        _entry(
            3,
            title="Learning Efficient Convolutional Networks through Network Slimming",
            venue="ICCV",
            year=2017,
            structure=["C", "other"],
            algorithm="Slimming",
            tags={"when": ["during-training"]},
            sections=["during-training-cnn"],
            code=[
                {"url": "https://github.com/liuzhuang13/slimming", "framework": "Torch (Lua)", "official": True},
                {"url": "https://github.com/example/slim-next", "framework": "PyTorch", "official": True, "status": "releasing"},
                {"url": "https://github.com/example/slim-gone", "framework": "Caffe", "status": "unavailable"},
            ],
        ),
        # A survey (its section has no Type column), split by year with a floor.
        _entry(
            4,
            title="Pruning Algorithms: A Survey",
            venue="IEEE TNN",
            year=1993,
            survey=True,
            structure=[],
            models=[],
            tags={},
            sections=["survey"],
            algorithm=None,
        ),
        _entry(
            5,
            title="What is the State of Neural Network Pruning?",
            venue="MLSys",
            year=2020,
            survey=True,
            structure=[],
            models=[],
            tags={},
            sections=["survey"],
            algorithm=None,
        ),
        # Sections without Type column but with an algorithm, and an application section.
        _entry(
            6,
            title="Continual Learning via Neural Pruning",
            venue="arXiv",
            year=2019,
            settings=["continual"],
            applications=["computer-vision"],
            algorithm="CLNP",
            structure=["N", "1xN"],
            sections=["continual-learning", "computer-vision"],
        ),
        # A known problem the data cannot settle: shown, never hidden.
        _entry(
            7,
            title="Channel Gating Neural Networks",
            venue="NeurIPS",
            year=2019,
            structure=["C"],
            tags={"when": ["run-time"]},
            sections=["dynamic"],
            review="The list gives this title twice with two different links; which one is right is unchecked.",
        ),
        # In no section yet: listed separately.
        _entry(8, title="A Paper Not Yet Filed", venue="ICML", year=2021, sections=[], structure=["F"]),
        # Other works (no Type column, no parent number).
        _entry(
            9,
            title="Are All Layers Created Equal?",
            venue="JMLR",
            year=2022,
            structure=[],
            models=[],
            tags={},
            sections=["other-works"],
            algorithm=None,
        ),
    ]


def hostile_entries() -> list[dict[str, Any]]:
    """Entries whose free text tries to break tables or inject markup."""
    return [
        _entry(
            20 + i,
            title=title,
            algorithm=f"Algo | {i} <b>x</b> [y](https://evil.example/)",
            tasks=[f"Task `{i}` | *bold*", "<i>html</i> www.evil.example"],
            venue="ICLR",
            year=2023,
            sections=["after-training-cnn", "computer-vision"],
            applications=["computer-vision"],
            code=[{"url": f"https://github.com/example/hostile-{i}", "framework": "PyTorch", "official": True}],
        )
        for i, title in enumerate(HOSTILE_TITLES)
    ]


def write_entries(folder: Path, entries: list[dict[str, Any]]) -> Path:
    for data in entries:
        write_paper(folder, **data)
    return folder


def build_catalog(folder: Path, entries: list[dict[str, Any]] | None = None) -> Catalog:
    write_entries(folder, standard_entries() if entries is None else entries)
    return load_catalog(folder)
