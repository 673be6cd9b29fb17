"""Build valid paper entries and whole synthetic catalogs in temporary folders.

Tests start from a valid entry and change one thing, so each test shows exactly the rule it
exercises. Benchmarks use :func:`write_synthetic_catalog` for catalogs of any size; it is
deterministic (seeded) so that figures are comparable between runs.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from catalog.dump import dump_paper
from catalog.model import Paper
from catalog.taxonomy import get_taxonomy

WORDS = (
    "sparse lottery ticket pruning channel filter structured network neural efficient transformer "
    "gradient saliency magnitude dynamic training compression vision language model layer head "
    "quantization distillation search regularization mask optimal brain surgeon data free"
).split()


def paper_data(**overrides: Any) -> dict[str, Any]:
    """A valid paper as plain data (what YAML would load); keyword arguments replace fields."""
    data: dict[str, Any] = {
        "id": "sample-paper",
        "title": "A Sample Paper on Pruning",
        "url": "https://arxiv.org/abs/2301.00774",
        "venue": "NeurIPS",
        "year": 2023,
        "algorithm": "Sample",
        "code": [{"url": "https://github.com/example/sample", "framework": "PyTorch", "official": True}],
        "tasks": ["Image Classification"],
        "structure": ["W"],
        "models": ["cnn"],
        "tags": {"when": ["after-training"], "criteria": ["magnitude"]},
        "sections": ["after-training-cnn"],
        "added": dt.date(2024, 8, 1),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def make_paper(**overrides: Any) -> Paper:
    return Paper.model_validate(paper_data(**overrides))


def write_paper(folder: Path, **overrides: Any) -> Path:
    """Write one valid paper (with overrides) as canonical YAML; returns its path."""
    paper = make_paper(**overrides)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{paper.id}.yaml"
    path.write_text(dump_paper(paper), encoding="utf-8")
    return path


GIVEN = ("Ada", "Alan", "Grace", "Claude", "Yann", "Fei", "Song", "Jonathan", "Elias", "Mingjie", "Zhuang", "Namhoon")
SURNAMES = ("Lovelace", "Turing", "Hopper", "Shannon", "LeCun", "Li", "Han", "Frankle", "Frantar", "Sun", "Liu", "Lee", "Molchanov", "Zhu")


def synthetic_paper(i: int, rng: random.Random) -> Paper:
    """A plausible, valid, unique paper number ``i``, spread over every axis and section."""
    tax = get_taxonomy()
    section = tax.sections[i % len(tax.sections)]
    year = rng.randint(2016, 2025)
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize() + f" {i}"
    tags: dict[str, list[str]] = {axis: [] for axis in tax.axes}
    tags["when"] = [rng.choice(list(tax.axes["when"].values))]
    for axis in ("criteria", "learn", "fusion"):
        if rng.random() < 0.5:
            tags[axis] = [rng.choice(list(tax.axes[axis].values))]
    data: dict[str, Any] = {
        "id": f"synthetic-{i:06d}",
        "title": title,
        "url": f"https://arxiv.org/abs/{year % 100:02d}{rng.randint(1, 12):02d}.{10000 + i % 90000:05d}",
        "venue": rng.choice(["NeurIPS", "ICML", "ICLR", "CVPR", "arXiv", "AAAI", "TPAMI"]),
        "year": year,
        "algorithm": title.split()[0].upper() + str(i),
        "tasks": [rng.choice(["Image Classification", "Language Modeling", "Object Detection"])],
        "structure": sorted({rng.choice(list(tax.facets["structure"].values)) for _ in range(rng.randint(1, 2))}),
        "models": [rng.choice(list(tax.facets["models"].values))],
        "tags": tags,
        "sections": [],
        # Authors and added dates follow from i alone (no draws from rng), so the other fields of
        # a seeded catalog stay what they were; sizes and dates spread like real entries.
        "authors": [f"{GIVEN[(i + k) % len(GIVEN)]} {SURNAMES[(i * 7 + k * 3) % len(SURNAMES)]}" for k in range(1 + i % 5)],
        "added": dt.date(2024, 8, 1) - dt.timedelta(days=(i * 37) % 400),
    }
    if year < 2015:  # 5-digit arXiv numbers exist only from 2015 on
        data["url"] = f"https://example.org/papers/{i}.pdf"
    if rng.random() < 0.6:
        data["code"] = [{"url": f"https://github.com/synthetic/repo-{i}", "framework": "PyTorch", "official": rng.random() < 0.8}]
    # Put the paper in its section when the implied tags can be satisfied.
    implied = dict(section.implies)
    for key, values in implied.items():
        if key == "survey":
            data["survey"] = True
        elif key in tax.axes:
            data["tags"][key] = sorted(set(data["tags"][key]) | set(values))
        else:
            data[key] = sorted(set(data.get(key, [])) | set(values))
    data["sections"] = [section.id]
    return Paper.model_validate(data)


def write_synthetic_catalog(folder: Path, count: int, seed: int = 1) -> list[Path]:
    """Write ``count`` valid, mutually distinct papers into ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        paper = synthetic_paper(i, rng)
        path = folder / f"{paper.id}.yaml"
        path.write_text(dump_paper(paper), encoding="utf-8")
        paths.append(path)
    return paths
