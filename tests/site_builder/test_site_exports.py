"""The catalog downloads: complete, parseable, deterministic."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from catalog.catalog import Catalog
from catalog.load import load_catalog
from site_builder.exports import bibtex_entry, catalog_bibtex, catalog_csv, catalog_json, csv_columns, latex_escape, render_exports
from tests.support.factory import write_paper
from tests.support.site_catalog import write_site_catalog


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return write_site_catalog(tmp_path_factory.mktemp("exports") / "papers")


def test_json_has_every_paper_with_derived_values(catalog: Catalog) -> None:
    data = json.loads(catalog_json(catalog))
    assert data["count"] == len(catalog) == len(data["papers"])
    assert [p["id"] for p in data["papers"]] == [p.id for p in catalog.papers]
    sparsegpt = next(p for p in data["papers"] if p["id"] == "sparsegpt")
    assert sparsegpt["tags"]["speedup"] == ["unstructured", "semi-structured"]  # derived from W, N:M
    assert sparsegpt["axes_with_parents"]["when"] == ["after-training", "post-training"]
    assert sparsegpt["has_code"] is True
    assert sparsegpt["code"][0]["url"] == "https://github.com/IST-DASLab/sparsegpt"


def test_csv_rows_columns_and_lists(catalog: Catalog) -> None:
    text = catalog_csv(catalog)
    assert "\r" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(catalog)
    assert tuple(rows[0]) == csv_columns(catalog.taxonomy)
    assert tuple(rows[0])[13:23] == (
        "tasks",
        "structure",
        "models",
        "settings",
        "applications",
        "kind",
        "speedup",
        "when",
        "criteria",
        "learn",
    )
    wanda = next(r for r in rows if r["id"] == "wanda")
    assert wanda["criteria"] == "magnitude; sensitivity-saliency"
    assert wanda["authors"].startswith("Mingjie Sun; Zhuang Liu")
    assert wanda["has_code"] == "true"
    gating = next(r for r in rows if r["id"] == "dynamic-channel-gating")
    assert gating["title"] == 'Channel Gating Neural Networks <fast> & "dynamic" *inference* | [run-time]'
    assert gating["review"].startswith("The venue is unclear")


def test_bibtex_types_escaping_and_keys(catalog: Catalog) -> None:
    text = catalog_bibtex(catalog)
    assert text.count("\n@") + 1 == len(catalog)
    unescaped = text.replace(r"\{", "").replace(r"\}", "")
    assert unescaped.count("{") == unescaped.count("}")  # BibTeX needs balanced braces
    lth = bibtex_entry(catalog, catalog.get("lottery-ticket-hypothesis"))
    assert lth.startswith("@inproceedings{lottery-ticket-hypothesis,\n")
    assert "  author = {Jonathan Frankle and Michael Carbin}" in lth
    assert "  booktitle = {ICLR}" in lth and "  note = {Best Paper}" in lth
    assert "  eprint = {1803.03635}" in lth
    assert bibtex_entry(catalog, catalog.get("survey-pruning-tpami")).startswith("@article{")
    gating = bibtex_entry(catalog, catalog.get("dynamic-channel-gating"))
    assert r"\& " in gating and "|" in gating


def test_latex_escape() -> None:
    assert (
        latex_escape(r"50% of {weights} & $x_1$ #1 ~ ^ \ ")
        == r"50\% of \{weights\} \& \$x\_1\$ \#1 \textasciitilde{} \textasciicircum{} \textbackslash{} "
    )


def test_preprint_is_misc(tmp_path: Path) -> None:
    write_paper(tmp_path, id="a-preprint", venue="arXiv", sections=[])
    catalog = load_catalog(tmp_path)
    entry = bibtex_entry(catalog, catalog.get("a-preprint"))
    assert entry.startswith("@misc{a-preprint,") and "booktitle" not in entry and "journal" not in entry


def test_exports_are_deterministic(tmp_path: Path, catalog: Catalog) -> None:
    again = write_site_catalog(tmp_path / "papers")
    assert render_exports(again) == render_exports(catalog)
