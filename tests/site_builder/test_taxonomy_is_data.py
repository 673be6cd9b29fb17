"""The taxonomy is data: a facet (and an axis value) added to a copy of the taxonomy file alone
reaches the validator, the README's Browse section, the site's facet page and navigation, the
explorer's filters and the CSV/JSON/BibTeX downloads, with no code change.

The taxonomy is passed explicitly (``load_catalog(..., taxonomy=...)``): the project's file is
neither patched nor read by the renderers, so this test cannot leak into others.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from catalog.dump import dump_paper
from catalog.errors import CatalogError
from catalog.load import load_catalog
from catalog.model import validate_paper
from catalog.taxonomy import TAXONOMY_FILE, Taxonomy, default_taxonomy, load_taxonomy
from site_builder.exports import render_exports
from site_builder.readme import render_readme
from site_builder.site import build_site, site_files
from tests.support.factory import paper_data

BASE = "http://127.0.0.1:8123/"


@pytest.fixture(scope="module")
def taxonomy(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    raw: dict[str, Any] = yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))
    extended = copy.deepcopy(raw)
    extended["facets"]["hardware"] = {
        "label": "Target Hardware",
        "description": "The hardware the pruned model is meant to run fast on.",
        "readme": True,
        "exports": ["csv", "json", "bibtex"],
        "values": {"gpu": {"label": "GPUs"}, "fpga": {"label": "FPGAs", "description": "Field-programmable gate arrays."}},
    }
    extended["axes"]["criteria"]["values"]["hessian"] = {"label": "Hessian-based", "parent": "sensitivity-saliency"}
    path = tmp_path_factory.mktemp("taxonomy") / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(extended, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_taxonomy(path)


def write_papers(folder: Path, taxonomy: Taxonomy) -> None:
    entries = [
        paper_data(
            id="gpu-paper", title="Sparse Kernels for GPUs", hardware=["gpu"], tags={"when": ["after-training"], "criteria": ["hessian"]}
        ),
        paper_data(
            id="both-paper", title="Pruning for GPUs and FPGAs", url="https://arxiv.org/abs/2305.11627", hardware=["fpga", "gpu"], code=None
        ),
        paper_data(id="plain-paper", title="A Paper Without Hardware", url="https://arxiv.org/abs/2306.11695"),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    for data in entries:
        (folder / f"{data['id']}.yaml").write_text(dump_paper(validate_paper(data, taxonomy)), encoding="utf-8")


@pytest.fixture(scope="module")
def papers(taxonomy: Taxonomy, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("catalog") / "papers"
    write_papers(folder, taxonomy)
    return folder


def test_the_validator_knows_the_new_facet_and_value(taxonomy: Taxonomy, papers: Path) -> None:
    text = (papers / "both-paper.yaml").read_text(encoding="utf-8")
    assert "hardware: [gpu, fpga]" in text  # written in taxonomy order, as a top-level field after the other facets
    assert text.index("\nmodels:") < text.index("\nhardware:") < text.index("\ntags:")
    catalog = load_catalog(papers, taxonomy=taxonomy)
    assert catalog.taxonomy is taxonomy
    gpu = catalog.get("gpu-paper")
    assert gpu is not None and gpu.facet("hardware") == ("gpu",)
    assert catalog.values_of(gpu, "criteria") == ("sensitivity-saliency", "hessian")
    # An unknown value is an error naming file, line and field.
    (papers.parent / "bad").mkdir(exist_ok=True)
    bad = papers.parent / "bad" / "bad-paper.yaml"
    bad.write_text(text.replace("id: both-paper", "id: bad-paper").replace("hardware: [gpu, fpga]", "hardware: [tpu]"), encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        load_catalog(bad.parent, taxonomy=taxonomy)
    line = 1 + text.split("\n").index("hardware: [gpu, fpga]")
    assert any(
        str(p).startswith(f"{bad.parent}/bad-paper.yaml:{line}: hardware: unknown hardware value(s) 'tpu'") for p in raised.value.problems
    ), [str(p) for p in raised.value.problems]
    # Without the data change, the project's taxonomy refuses the field and the value.
    assert "hardware" not in default_taxonomy().facets
    with pytest.raises(CatalogError, match="unknown key"):
        load_catalog(papers)


def test_readme_browse_has_a_table_for_the_facet(taxonomy: Taxonomy, papers: Path) -> None:
    readme = render_readme(load_catalog(papers, taxonomy=taxonomy))
    browse = readme[readme.index("## Browse by taxonomy") :]
    assert "### Target Hardware" in browse
    assert "| [GPUs](https://hrcheng1066.github.io/awesome-pruning/explorer/?hardware=gpu) | 2 |" in browse
    assert (
        "| [FPGAs](https://hrcheng1066.github.io/awesome-pruning/explorer/?hardware=fpga) | 1 | Field-programmable gate arrays. |" in browse
    )
    assert "1 of 3 papers are not classified on this axis yet." in browse[browse.index("### Target Hardware") :]
    assert "| ↳ [Hessian-based](https://hrcheng1066.github.io/awesome-pruning/explorer/?criteria=hessian) | 1 |" in browse
    assert "- [Target Hardware](#target-hardware)" in readme  # in the table of contents


def test_site_page_explorer_filter_and_exports(taxonomy: Taxonomy, papers: Path, tmp_path: Path) -> None:
    catalog = load_catalog(papers, taxonomy=taxonomy)
    files = site_files(catalog)
    page = str(files["facets/hardware.md"])
    assert "# Target Hardware" in page and "GPUs" in page and "Pruning for GPUs and FPGAs" in page
    assert "[Target Hardware](hardware.md)" in str(files["facets/index.md"])
    explorer = str(files["explorer.md"])
    rows = {r["id"]: r for r in json.loads(str(files["assets/explorer-rows.json"]))["rows"]}  # the explorer's row data
    assert rows["gpu-paper"]["values"]["hardware"] == ["gpu"] and rows["both-paper"]["values"]["hardware"] == ["gpu", "fpga"]
    assert (
        'data-state-keys="speedup when criteria learn fusion structure models settings applications kind hardware venue year code text '
        'sort"'
        in explorer
    )
    assert '<fieldset data-facet="hardware">' in explorer and "FPGAs" in explorer  # explorer.js builds its filters from these
    paper_page = str(files["papers/both-paper.md"])
    assert "Target Hardware" in paper_page and "../../facets/hardware/#gpu" in paper_page

    exports = render_exports(catalog)
    rows = list(csv.DictReader(io.StringIO(exports["catalog.csv"])))
    assert {r["id"]: r["hardware"] for r in rows} == {"both-paper": "gpu; fpga", "gpu-paper": "gpu", "plain-paper": ""}
    records = {p["id"]: p for p in json.loads(exports["catalog.json"])["papers"]}
    assert records["both-paper"]["hardware"] == ["gpu", "fpga"] and records["plain-paper"]["hardware"] == []
    assert records["gpu-paper"]["axes_with_parents"]["criteria"] == ["sensitivity-saliency", "hessian"]
    bib = exports["catalog.bib"]
    assert "  hardware = {GPUs, FPGAs}" in bib and bib.count("hardware = ") == 2

    # MkDocs builds it, with the facet's page in the navigation after facets/index.md.
    site = tmp_path / "site"
    build_site(catalog, site, site_url=BASE)
    built = (site / "facets" / "hardware" / "index.html").read_text(encoding="utf-8")
    assert "Target Hardware" in built
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="facets/hardware/"' in home
