"""The Markdown importer: every row accounted for, duplicates merged, defects repaired or flagged."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from catalog.importers.markdown import import_markdown_text, write_entries
from catalog.load import load_catalog
from catalog.normalize import normalize_url
from pruning_catalog.cli import main
from tests.support.catalog_files import restaged

ADDED = dt.date(2024, 8, 1)
HEADER8 = (
    "| No. | Title | Venue | Type | Algorithm Name | Code | APP | Year |\n|:----:|:---- |:-----:|:-------:|:----:|:----:|:----:|:----:|\n"
)
HEADER5 = "| No. | Title   | Venue | Code | APP | Year |\n|:----:|:----:|:----:|:----:|:----:|:----:|\n"

LIST = f"""# awesome-pruning
## 1. When to Prune
### Type Explanation
| Type        |`L`             | `W`          |
|:----------- |:--------------:|:--------------:|
| Explanation | Layer pruning  | Weight pruning |

### 1.1 Static Pruning
#### 1.1.1 Pruning Before Training
##### 1.1.1.1 Pruning CNNs
###### Pruning Before Training CNNs 2019
{HEADER8}| 01 | [SNIP: Single-shot Network Pruning](https://arxiv.org/abs/1810.02340)) | ICLR **(Spotlight)** | `WP` | SNIP | \
[TensorFLow(Anthor)]( https://github.com/namhoonlee/snip-public) | Image Classification | 2019 |
| 02 | [Pruning from Scratch](arxiv.org/abs/1909.12579) | NIPS | `C` | - | - | Image Classification | 2020 |

#### 1.1.3 Pruning After Training
##### 1.1.3.1 Pruning CNNs
###### Pruning After Training CNNs 2017 and earlier
{HEADER8}| 01 | [ThiNet: A Filter Level Pruning Method](https://arxiv.org/abs/1707.06342) | ICCV&TPAMI | `F` | ThiNet | \
[Caffe(Author)](https://github.com/Roll920/ThiNet), \
[PyTorch(3rd)](https://github.com/tranorrepository/reprod-thinet) | Image Classification | 2017&2019 |
| 02 | [Snip: single-shot network pruning](https://arxiv.org/abs/1810.02340) | ICLR (TOP 5%) | `w` | SNIP | - | Object Detection | 2019 |
| 03 | [Paper Alpha](https://example.org/shared.pdf) | CVPR | `F` | A | \
[PyTorch(Author)](https://github.com/x/shared)(Releasing) | - | 2020 |
| 04 | [Paper Beta](https://example.org/shared.pdf) | CVPR | `F` | B | [PyTorch(Author)](https://github.com/x/shared) | - | 2021 |
| 05 | [Gamma Pruning](\
https://openaccess.thecvf.com/content/CVPR2022/papers/Zou_Dreaming_To_Prune_Image_Deraining_Networks_CVPR_2022_paper.pdf) \
| CVPR | 1XN | - | [PyTorch(Not Available)](https://github.com/x/gamma) | Image Deraining | 2022 |
| 06 | [Late Paper](https://arxiv.org/abs/2003.13683) | ECCV | `F` | DHP | - | Image Classification | 2019 |

## 5. Survey of Pruning
### Survey of Pruning 2020
{HEADER5}| 01 | [What is the State of Neural Network Pruning?](https://arxiv.org/pdf/2003.03033.pdf) | MLSys | - | - | 2020 |

## Citation
```bibtex
| 99 | [Not a row](https://example.org) | x |
```
"""


@pytest.fixture()
def result():
    return import_markdown_text(LIST, source="list.md", added=ADDED)


def by_title(result, title):
    return next(p for p in result.papers if p.title.startswith(title))


def test_every_row_is_accounted_for(result):
    assert len(result.rows) == 9  # the legend table and the code block are not paper rows
    assert all(r.entry for r in result.rows), [r for r in result.rows if not r.entry]
    assert result.ok
    s = result.summary()
    assert s["rows"] == 9 and s["entries"] == 8 and s["rows_merged"] == 1 and s["rows_failed"] == 0


def test_one_paper_listed_twice_becomes_one_entry_with_both_placements(result):
    snip = by_title(result, "SNIP")
    assert snip.sections == ("before-training-cnn", "after-training-cnn")
    assert snip.tags.when == ("before-training", "after-training")
    assert snip.tasks == ("Image Classification", "Object Detection")
    assert snip.pioneer and snip.structure == ("W",)
    merged = [r for r in result.rows if r.merged]
    assert [r.entry for r in merged] == [snip.id]
    # The rows disagreed on the title's spelling and the award: merged, and the conflict reported.
    assert any("title" in c for c in result.conflicts[snip.id])
    assert any("venue/year" in c for c in result.conflicts[snip.id])


def test_mechanical_defects_are_repaired_and_reported(result):
    snip = by_title(result, "SNIP")
    assert snip.award == "Spotlight" and snip.venue == "ICLR"
    assert snip.code[0].url == "https://github.com/namhoonlee/snip-public"
    assert snip.code[0].framework == "TensorFlow" and snip.code[0].official is True
    row = result.rows[0]
    text = " ".join(row.repaired)
    for expected in ("stray ')'", "spaces around the URL", "'Anthor'", "TensorFLow", "Spotlight"):
        assert expected in text, expected
    scratch = by_title(result, "Pruning from Scratch")
    assert scratch.url == "https://arxiv.org/abs/1909.12579" and scratch.venue == "NeurIPS"
    assert any("missing https://" in r for r in result.rows[1].repaired)
    thinet = by_title(result, "ThiNet")
    assert (thinet.venue, thinet.year) == ("ICCV", 2017)
    assert [(v.venue, v.year) for v in thinet.other_venues] == [("TPAMI", 2019)]
    assert [c.official for c in thinet.code] == [True, False]
    gamma = by_title(result, "Gamma")
    assert gamma.structure == ("1xN",) and gamma.code[0].status == "unavailable"
    assert by_title(result, "Paper Alpha").code[0].status == "releasing"


def test_year_before_the_arxiv_id_is_kept_and_flagged_not_rewritten(result):
    late = by_title(result, "Late Paper")
    assert late.year == 2019  # the list's year: a paper can appear before its preprint
    assert "earlier than the arXiv id" in late.review and "kept as given" in late.review
    assert not any("earlier than" in r for row in result.rows for r in row.repaired)


def test_problems_facts_cannot_settle_are_kept_and_flagged(result):
    alpha, beta = by_title(result, "Paper Alpha"), by_title(result, "Paper Beta")
    assert "Paper Beta" in alpha.review and "Paper Alpha" in beta.review
    assert "points at the wrong paper" in alpha.review
    assert "code link" in alpha.review
    gamma = by_title(result, "Gamma")
    assert "Dreaming To Prune Image Deraining Networks" in gamma.review
    flagged_rows = [r for r in result.rows if r.flagged]
    assert {r.entry for r in flagged_rows} >= {alpha.id, beta.id, gamma.id}


def test_sections_imply_tags(result):
    survey = by_title(result, "What is the State")
    assert survey.survey and survey.sections == ("survey",)
    assert by_title(result, "ThiNet").models == ("cnn",)


def test_report_as_text_and_json(result):
    text = result.as_text()
    assert "9 table rows -> 8 entries" in text
    assert "line 14:" in text  # every row appears with its source line
    data = json.loads(result.as_json())
    assert data["summary"]["rows"] == 9
    assert {r["line"] for r in data["rows"]} == {r.line for r in result.rows}
    assert set(data["flagged"]) >= {by_title(result, "Paper Alpha").id}


def test_unreadable_rows_are_reported_not_dropped():
    bad = LIST.replace("| MLSys |", "| Journal of Nowhere |")
    result = import_markdown_text(bad, source="list.md", added=ADDED)
    failed = [r for r in result.rows if r.errors]
    assert len(failed) == 1 and "unknown venue 'Journal of Nowhere'" in failed[0].errors[0]
    assert not result.ok and len(result.rows) == 9


def test_same_title_different_papers_stay_apart_and_are_flagged():
    text = (
        "### 1.2 Dynamic Pruning\n"
        + HEADER8
        + "| 01 | [Channel Gating Neural Networks](https://example.org/rnp.pdf) | NeurIPS | `F` | RNP | - | - | 2017 |\n"
        "| 02 | [Channel Gating Neural Networks](https://arxiv.org/abs/1805.12549) | NeurIPS | `C` | CGNet | - | - | 2019 |\n"
    )
    result = import_markdown_text(text, added=ADDED)
    assert len(result.papers) == 2 and all(p.review for p in result.papers)
    assert sorted(p.id for p in result.papers) == ["channel-gating-neural-networks", "channel-gating-neural-networks-2019"]


def test_import_is_deterministic(result):
    again = import_markdown_text(LIST, source="list.md", added=ADDED)
    assert again.as_json() == result.as_json()


def test_written_entries_load_as_a_valid_catalog_and_rerun_is_a_no_op(result, tmp_path):
    written, unchanged = write_entries(result, tmp_path)
    assert len(written) == 8 and not unchanged
    catalog = load_catalog(tmp_path)
    assert len(catalog) == 8
    assert {w.field for w in catalog.warnings} >= {"url"}  # the shared link, flagged, is a warning
    written, unchanged = write_entries(result, tmp_path)
    assert not written and len(unchanged) == 8


def test_hand_corrections_are_never_overwritten_silently(result, tmp_path):
    write_entries(result, tmp_path)
    edited = tmp_path / f"{by_title(result, 'ThiNet').id}.yaml"
    edited.write_text(edited.read_text().replace("algorithm: ThiNet", "algorithm: ThiNet-v2"))
    with pytest.raises(FileExistsError):
        write_entries(result, tmp_path)
    assert "ThiNet-v2" in edited.read_text()


def test_cli_import(tmp_path, capsys):
    source = tmp_path / "list.md"
    source.write_text(LIST, encoding="utf-8")
    out, report = tmp_path / "papers", tmp_path / "report.json"
    assert main(["import-markdown", str(source), "--out", str(out), "--added", "2024-08-01", "--report", str(report)]) == 0
    assert "9 table rows -> 8 entries" in capsys.readouterr().out
    assert json.loads(report.read_text())["summary"]["entries"] == 8
    assert len(list(out.glob("*.yaml"))) == 8
    # A second run changes nothing; a hand edit makes it refuse and write nothing.
    assert main(["import-markdown", str(source), "--out", str(out), "--added", "2024-08-01"]) == 0
    target = next(out.glob("thinet*.yaml"))
    target.write_text(target.read_text() + "review: checked by hand\n")
    assert main(["import-markdown", str(source), "--out", str(out), "--added", "2024-08-01"]) == 1
    assert "--overwrite" in capsys.readouterr().err
    assert target.read_text().endswith("review: checked by hand\n")


def test_cli_import_errors(tmp_path, capsys):
    assert main(["import-markdown", str(tmp_path / "missing.md")]) == 2
    assert "cannot read" in capsys.readouterr().err
    bad = tmp_path / "bad.md"
    bad.write_text(LIST.replace("| MLSys |", "| Nowhere |"), encoding="utf-8")
    assert main(["import-markdown", str(bad), "--out", str(tmp_path / "p")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "unknown venue 'Nowhere'" in err and "nothing written" in err
    assert not (tmp_path / "p").exists()
    with pytest.raises(SystemExit) as exc:
        main(["import-markdown", str(bad), "--added", "yesterday"])
    assert exc.value.code == 2


SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "awesome-pruning" / "README.md"


@pytest.mark.seed
@pytest.mark.skipif(not SEED.exists(), reason=f"the seed list {SEED} is not here (a fresh clone has no ../shared)")
def test_seed_list_every_row_accounted_for():
    result = import_markdown_text(SEED.read_text(encoding="utf-8"), source="seed", added=ADDED)
    assert len(result.rows) == 340
    assert result.ok, [r for r in result.rows if r.errors] + list(result.problems)
    assert all(r.entry for r in result.rows)
    s = result.summary()
    assert s["entries"] + s["rows_merged"] == 340
    # Every seed row's paper is in the committed catalog (under a corrected title, found by its
    # link), in that row's section unless a curator settled its stage otherwise (issue 12).
    committed = load_catalog(Path(__file__).resolve().parents[2] / "papers")
    by_url = {normalize_url(p.url): p for p in committed.papers}
    imported = {p.id: p for p in result.papers}
    tax = committed.taxonomy
    for row in result.rows:
        paper = committed.get(row.entry) or by_url.get(normalize_url(imported[row.entry].url))
        assert paper is not None, row
        assert row.section in paper.sections or restaged(paper, row.section, tax), row
