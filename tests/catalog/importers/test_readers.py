"""Each list layout has its own reader, chosen by what the file holds; rows keep what the list says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from catalog.importers import readers
from catalog.importers.headings import place
from catalog.importers.listtext import read_badge, read_venue_text, split_method_prefix
from catalog.importers.markdown import ImportResult, import_markdown_text
from catalog.model import Paper
from catalog.taxonomy import get_taxonomy

DAY = dt.date(2026, 12, 2)
# Real rows of each list (trimmed to a few), as the list writes them.
FIXTURES = Path(__file__).with_name("fixtures")

HE_Y = (FIXTURES / "he-y.md").read_text(encoding="utf-8")
MINGSUN = (FIXTURES / "mingsun-tse.md").read_text(encoding="utf-8")
HORSEEE = (FIXTURES / "horseee.md").read_text(encoding="utf-8")
PPRP = (FIXTURES / "pprp.md").read_text(encoding="utf-8")


def imported(text: str, name: str = "list") -> ImportResult:
    return import_markdown_text(text, source=f"{name}.md", added=DAY, list_name=name)


def paper(result: ImportResult, start: str) -> Paper:
    return next(p for p in result.papers if p.title.startswith(start))


@pytest.mark.parametrize(
    ("text", "reader"),
    [(HE_Y, "tables"), (MINGSUN, "year-bullets"), (HORSEEE, "badge-table"), (PPRP, "key-bullets")],
)
def test_the_reader_is_chosen_by_what_the_file_holds(text: str, reader: str) -> None:
    chosen = readers.choose(text)
    assert chosen is not None and chosen.name == reader


def test_he_y_tables_year_headings_tracks_special_networks_and_code_statuses() -> None:
    result = imported(HE_Y, "he-y")
    assert len(result.rows) == 4 and result.ok
    ramanujan = paper(result, "Revisiting")
    assert (ramanujan.venue, ramanujan.award, ramanujan.year) == ("ICLR", "Spotlight", 2023)
    assert ramanujan.code[0].status == "releasing" and ramanujan.sections == ()  # a year heading places no section
    assert paper(result, "Bit-Pruning").code[0].status == "deleted"
    assert paper(result, "Rethinking Graph").models == ("special",)
    distill = paper(result, "Prune Then Distill")
    assert distill.year == 2020 and distill.structure == ("F", "other")
    assert distill.code[0].url == "https://github.com/ososos/prune-then-distill"
    assert distill.code[0].framework == "TensorFlow and PyTorch"
    assert distill.sources[0].list == "he-y" and distill.sources[0].section == "2020"


def test_mingsun_year_bullets_awards_extra_links_and_notes() -> None:
    result = imported(MINGSUN, "mingsun-tse")
    assert len(result.rows) == 4 and result.ok
    lth = paper(result, "The Lottery Ticket")
    assert (lth.venue, lth.year, lth.award) == ("ICLR", 2019, "Best Paper")
    assert [c.url for c in lth.code] == ["https://github.com/google-research/lottery-ticket-hypothesis", "https://github.com/facebookresearch/open_lth"]
    scratch = paper(result, "Sparse networks from scratch")
    assert (scratch.venue, scratch.year) == ("arXiv", 2019)
    assert scratch.alternate_urls == ("https://openreview.net/forum?id=ByeSYa4KPS",)
    assert paper(result, "Validating").code[0].status == "link-invalid"
    rejected = paper(result, "Gradient Flow")
    assert rejected.venue == "OpenReview" and rejected.sources[0].venue == "ICLR reject"


def test_horseee_badges_authors_links_and_hidden_comments() -> None:
    result = imported(HORSEEE, "horseee")
    assert len(result.rows) == 3 and result.ok
    sparsegpt = paper(result, "SparseGPT")
    assert sparsegpt.url == "https://arxiv.org/abs/2301.00774"  # the Paper link, not the code the title points at
    assert (sparsegpt.venue, sparsegpt.year) == ("ICML", 2023)
    assert sparsegpt.authors == ("Elias Frantar", "Dan Alistarh")
    assert sparsegpt.speedup == ("unstructured",) and sparsegpt.models == ("llm",)
    assert [c.url for c in sparsegpt.code] == ["https://github.com/IST-DASLab/sparsegpt"]
    extractor = paper(result, "Pruning as a Domain")
    assert (extractor.venue, extractor.award, extractor.year) == ("NAACL", "Findings", 2024)
    assert extractor.authors == ("Nan Zhang", "Yanchi Liu")
    mini = paper(result, "MINI-LLM")
    assert mini.url == "https://arxiv.org/abs/2407.11681" and mini.year == 2024  # 'mini' stuck to the id removed; dated by the id
    assert any("stuck to the arXiv id" in x for r in result.rows for x in r.repaired)


def test_pprp_nested_bullets_prefix_labels_and_free_text_venues() -> None:
    result = imported(PPRP, "pprp")
    rows = {r.line: r for r in result.rows}
    assert len(result.papers) == 2
    wanda = paper(result, "Wanda")
    assert wanda.title.startswith("Wanda: A Simple") and wanda.algorithm == "Wanda"
    assert (wanda.venue, wanda.year, wanda.award) == ("NeurIPS", 2024, "Spotlight")
    assert wanda.authors == ("Mingjie Sun", "Zhuang Liu", "Anna Bair") and wanda.structure == ("token",)
    kick = paper(result, "LLM-Kick")
    assert kick.title == "LLM-Kick: Compressing LLMs: The Truth Is Rarely Pure and Never Simple"
    assert kick.venue == "arXiv" and kick.kind == ("benchmark",) and kick.year == 2023 and not kick.code
    probe = [r for r in rows.values() if r.title.startswith("Probe")][0]
    assert probe.entry is None and "no venue and year" in probe.errors[0]
    assert result.skipped_lines == (probe.line,)


def test_headings_are_placed_by_their_words() -> None:
    tax = get_taxonomy()
    assert place(["awesome", "1. When to Prune", "1.2 Dynamic Pruning"], tax).section == "dynamic"
    assert place(["awesome", "Dynamic Pruning"], tax).section == "dynamic"
    before = place(["awesome", "Static Pruning", "Pruning Before Training"], tax)
    assert before.section is None and before.values == {"when": ("before-training",)}
    llm = place(["x", "Pruning After Training", "Pruning LLMs"], tax)
    assert llm.section == "after-training-llm"
    assert place(["x", "2023"], tax).year == 2023 and place(["x", "2023"], tax).section is None


def test_badges_venues_and_prefixes() -> None:
    tax = get_taxonomy()
    badge = read_badge("https://img.shields.io/badge/Conference-EMNLP'23%20Findings-blue")
    assert badge is not None and (badge.kind, badge.value) == ("venue", "EMNLP'23 Findings")
    stars = read_badge("https://img.shields.io/github/stars/locuslab/wanda.svg?style=social&label=Star")
    assert stars is not None and (stars.kind, stars.value) == ("stars", "locuslab/wanda")
    semi = read_badge("https://img.shields.io/badge/semi__structured-brightgreen.svg")
    assert semi is not None and semi.label == "semi_structured"
    assert read_venue_text("ICLR24 Workshop (ME-FoMo)", tax).venue == "ICLRW"
    tmlr = read_venue_text("TMLR_2025", tax)
    assert (tmlr.venue, tmlr.year) == ("TMLR", 2025)
    arxiv = read_venue_text("Arxiv 2025", tax)
    assert (arxiv.venue, arxiv.year) == ("arXiv", 2025)
    acl = read_venue_text("ACL24'Findings", tax)
    assert (acl.venue, acl.year, acl.award) == ("ACL", 2024, "Findings")
    rest = "Plug-and-Play: An Efficient Post-training Pruning Method"
    assert split_method_prefix(f"RIA: {rest}") == ("RIA", rest)
    assert split_method_prefix("Pruner-Zero: Evolving Symbolic Pruning Metric")[0] == "Pruner-Zero"
    assert split_method_prefix("A Survey: Short")[0] is None


def test_header_synonyms_and_an_unknown_heading_kept_as_the_source_section() -> None:
    text = (FIXTURES / "synonyms.md").read_text(encoding="utf-8")
    result = imported(text, "synonyms")
    assert result.reader == "tables" and result.ok
    otov2 = result.papers[0]
    assert (otov2.venue, otov2.year, otov2.algorithm) == ("ICLR", 2023, "OTOv2")
    assert otov2.code[0].url == "https://github.com/tianyic/only_train_once"
    assert otov2.sections == () and otov2.sources[0].section == "Things We Liked"
