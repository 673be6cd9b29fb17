"""``pruning-catalog add``: from an arXiv id to a valid, canonical entry and a fresh README, or a clear refusal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from catalog.canonical import SCHEMA_LINE
from catalog.commands.add import Request, create, parse_arxiv_argument
from catalog.contribute import Choices, Missing, infer_sections, terminal_ask
from catalog.load import load_catalog
from catalog.taxonomy import default_taxonomy
from pruning_catalog.cli import main
from tests.support.arxiv import DSNOT, DSNOT_AUTHORS, DSNOT_TITLE, TODAY, config_for, small_catalog
from tests.support.emulator import Reply

CHOICES = Choices(
    when=("post-training",),
    structure=("W",),
    models=("llm",),
    venue="ICLR",
    year=2024,
    code=("https://github.com/zyxxmu/DSnoT",),
    algorithm="DSnoT",
)
ENTRY_ID = "dynamic-sparse-no-training-training-free-fine-tuning-for"


def run_add(tmp_path: Path, emu, clock, request: Request, ask=None) -> tuple[int, str, str]:
    papers = tmp_path / "papers"
    if not papers.exists():
        small_catalog(papers)
    out, err = io.StringIO(), io.StringIO()
    code = create(request, papers, config=config_for(emu), clock=clock, ask=ask, today=TODAY, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def files(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "papers").iterdir())


def test_found_writes_a_canonical_entry_with_authors_that_validates(tmp_path, emu, clock) -> None:
    code, out, err = run_add(tmp_path, emu, clock, Request(DSNOT, CHOICES))
    assert code == 0, err
    path = tmp_path / "papers" / f"{ENTRY_ID}.yaml"
    assert out.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_LINE) and text.endswith("\n") and "\r" not in text
    catalog = load_catalog(tmp_path / "papers")
    paper = catalog.get(ENTRY_ID)
    assert paper is not None and paper.title == DSNOT_TITLE and paper.authors == DSNOT_AUTHORS
    assert paper.abstract and paper.published is not None and paper.published.isoformat() == "2023-10-13"
    assert paper.url == f"https://arxiv.org/abs/{DSNOT}" and paper.venue == "ICLR" and paper.year == 2024
    assert paper.sections == ("post-training",) and paper.tags.when == ("post-training",)
    assert paper.added == TODAY and paper.code[0].url == "https://github.com/zyxxmu/DSnoT"


def test_sections_follow_from_when_and_model() -> None:
    tax = default_taxonomy()
    assert infer_sections(["after-training"], ["llm"], tax) == ("after-training-llm",)
    assert infer_sections(["after-training"], ["cnn", "vit"], tax) == ("after-training-cnn", "after-training-vit")
    assert infer_sections(["post-training"], ["llm"], tax) == ("post-training",)
    assert infer_sections(["before-training"], ["llm"], tax) == ("before-training-other",)  # "Pruning Other Models"
    assert infer_sections(["run-time"], ["cnn"], tax) == ("dynamic",)
    assert infer_sections([], ["cnn"], tax) == ()


def test_a_chosen_section_supplies_the_tags_it_implies(tmp_path, emu, clock) -> None:
    code, _, err = run_add(tmp_path, emu, clock, Request(DSNOT, Choices(sections=("after-training-llm",), structure=("W",))))
    assert code == 0, err
    paper = load_catalog(tmp_path / "papers").get(ENTRY_ID)
    assert paper is not None and paper.tags.when == ("after-training",) and paper.models == ("llm",)
    assert paper.venue == "arXiv" and paper.year == 2023  # no venue given: a preprint of its arXiv year


def test_dry_run_prints_the_entry_and_writes_nothing(tmp_path, emu, clock) -> None:
    small_catalog(tmp_path / "papers")
    before = files(tmp_path)
    code, out, err = run_add(tmp_path, emu, clock, Request(DSNOT, CHOICES, dry_run=True))
    assert code == 0 and out.startswith(SCHEMA_LINE) and f"id: {ENTRY_ID}" in out and "not written" in err
    assert files(tmp_path) == before


@pytest.mark.parametrize(
    ("existing", "reason"),
    [
        ("2306.11695", "same arXiv id 2306.11695"),
        ("https://arxiv.org/pdf/2306.11695v2", "same arXiv id 2306.11695"),
    ],
)
def test_a_duplicate_arxiv_id_is_refused_naming_the_file_before_any_request(tmp_path, emu, clock, existing, reason) -> None:
    code, _, err = run_add(tmp_path, emu, clock, Request(existing, CHOICES))
    assert code == 1
    assert "a-simple-and-effective-pruning-approach-for-large-language.yaml" in err and reason in err
    assert emu.requests("arxiv-api") == []


def test_a_near_identical_title_is_refused(tmp_path, emu, clock) -> None:
    emu.add_paper("2402.00001", "A Simple and Effective Pruning Approach for Large Language Models.", authors=("X",))
    code, _, err = run_add(tmp_path, emu, clock, Request("2402.00001", CHOICES))
    assert code == 1 and "same title" in err
    assert "a-simple-and-effective-pruning-approach-for-large-language.yaml" in err
    emu.add_paper("2402.00002", "A Simple and Effective Pruning Approach for Large Language Model", authors=("X",))
    code, _, err = run_add(tmp_path, emu, clock, Request("2402.00002", CHOICES))
    assert code == 1 and "near-identical title" in err


def test_a_manual_entry_with_a_known_openreview_id_is_refused(tmp_path, emu, clock) -> None:
    choices = Choices(
        title="Something Else",
        url="https://openreview.net/pdf?id=AbCdEf123",
        venue="ICLR",
        year=2022,
        when=("after-training",),
        structure=("W",),
        models=("cnn",),
    )
    code, _, err = run_add(tmp_path, emu, clock, Request(None, choices, manual=True))
    assert code == 1 and "same OpenReview id AbCdEf123" in err and "openreview-paper.yaml" in err


@pytest.mark.parametrize("given", ["2310.0891", "not-an-id", "https://arxiv.org/list/cs.LG", "2313.00001"])
def test_a_malformed_id_exits_2_without_a_request(tmp_path, emu, clock, given) -> None:
    small_catalog(tmp_path / "papers")
    before = files(tmp_path)
    code, _, err = run_add(tmp_path, emu, clock, Request(given, CHOICES))
    assert code == 2 and "error:" in err and "Traceback" not in err
    assert emu.requests() == [] and files(tmp_path) == before


def test_an_unknown_id_exits_1_and_writes_nothing(tmp_path, emu, clock) -> None:
    small_catalog(tmp_path / "papers")
    before = files(tmp_path)
    code, _, err = run_add(tmp_path, emu, clock, Request("2401.99999", CHOICES))
    assert code == 1 and "arXiv has no paper 2401.99999" in err
    assert files(tmp_path) == before


def test_api_down_exits_2_and_writes_nothing(tmp_path, emu, clock) -> None:
    small_catalog(tmp_path / "papers")
    before = files(tmp_path)
    config = config_for(emu)
    emu.stop()
    out, err = io.StringIO(), io.StringIO()
    code = create(Request(DSNOT, CHOICES), tmp_path / "papers", config=config, clock=clock, today=TODAY, out=out, err=err)
    assert code == 2 and "cannot be reached" in err.getvalue() and "try again later" in err.getvalue()
    assert files(tmp_path) == before


def test_api_slow_exits_2_and_writes_nothing(tmp_path, emu, clock) -> None:
    small_catalog(tmp_path / "papers")
    before = files(tmp_path)
    emu.script("arxiv-api", Reply(delay=1.0), Reply(delay=1.0))
    out, err = io.StringIO(), io.StringIO()
    code = create(
        Request(DSNOT, CHOICES), tmp_path / "papers", config=config_for(emu, timeout=0.3), clock=clock, today=TODAY, out=out, err=err
    )
    assert code == 2 and "did not answer in time" in err.getvalue()
    assert files(tmp_path) == before


def test_without_a_terminal_missing_choices_exit_2_with_allowed_values(tmp_path, emu, clock) -> None:
    code, _, err = run_add(tmp_path, emu, clock, Request(DSNOT, Choices(venue="ICLR")))
    assert code == 2
    assert "--when: when the method prunes; one or more of: before-training, during-training" in err
    assert "--structure:" in err and "N:M" in err and "--model:" in err and "llm" in err
    assert emu.requests() == []  # nothing asked of arXiv before the choices are complete


def test_a_model_family_without_its_own_section_files_under_other_models(tmp_path, emu, clock) -> None:
    code, _, err = run_add(tmp_path, emu, clock, Request(DSNOT, Choices(when=("before-training",), structure=("W",), models=("llm",))))
    assert code == 0, err
    paper = load_catalog(tmp_path / "papers").get(ENTRY_ID)
    assert paper is not None and paper.sections == ("before-training-other",)


def test_on_a_terminal_missing_choices_are_asked(tmp_path, emu, clock) -> None:
    asked: list[str] = []

    def ask(missing: Missing) -> list[str]:
        asked.append(missing.name)
        return {"when": ["after-training"], "structure": ["C", "H"], "model": ["llm"]}[missing.name]

    code, _, err = run_add(tmp_path, emu, clock, Request(DSNOT, Choices()), ask=ask)
    assert code == 0, err
    assert asked == ["when", "structure", "model"]
    paper = load_catalog(tmp_path / "papers").get(ENTRY_ID)
    assert paper is not None and paper.structure == ("C", "H") and paper.sections == ("after-training-llm",)


def test_the_terminal_prompt_offers_values_by_number_and_name() -> None:
    tax = default_taxonomy()
    missing = Missing("when", "when the method prunes", tax.axes["when"].ids(), tuple(v.label for v in tax.axes["when"].values.values()))
    said: list[str] = []
    answers = iter(["", "nine", "4, post-training"])
    assert terminal_ask(missing, read=lambda _prompt: next(answers), say=said.append) == ["after-training", "post-training"]
    assert "   4. after-training  (Pruning after Training)" in said and any("not understood: nine" in s for s in said)


def test_unknown_values_and_a_year_in_the_venue_exit_2(tmp_path, emu, clock) -> None:
    code, _, err = run_add(tmp_path, emu, clock, Request(DSNOT, Choices(when=("after-trainin",), structure=("W",), models=("llm",))))
    assert code == 2 and "--when: unknown value 'after-trainin'; allowed: before-training" in err
    code, _, err = run_add(
        tmp_path, emu, clock, Request(DSNOT, Choices(when=("after-training",), structure=("W",), models=("llm",), venue="ICLR 2024"))
    )
    assert code == 2 and "write venue: ICLR and year: 2024" in err


def test_manual_entry_without_arxiv(tmp_path, emu, clock) -> None:
    choices = Choices(
        title="Pruning Without arXiv", url="https://proceedings.mlr.press/v202/x23a.html", venue="ICML", year=2023,
        authors=("Ada Lovelace",), when=("during-training",), structure=("F",), models=("cnn",),
    )  # fmt: skip
    code, out, err = run_add(tmp_path, emu, clock, Request(None, choices, manual=True))
    assert code == 0, err
    paper = load_catalog(tmp_path / "papers").get("pruning-without-arxiv")
    assert paper is not None and paper.authors == ("Ada Lovelace",) and paper.sections == ("during-training-cnn",)
    assert emu.requests() == []
    code, _, err = run_add(tmp_path, emu, clock, Request(None, Choices(when=("after-training",)), manual=True))
    assert code == 2 and "--title" in err and "--url" in err and "--venue" in err


def test_an_id_clash_gets_the_year(tmp_path, emu, clock) -> None:
    papers = small_catalog(tmp_path / "papers")
    from tests.support.factory import write_paper

    write_paper(
        papers,
        id=ENTRY_ID,
        title="Dynamic sparse no training training free fine tuning for something else entirely",
        url="https://example.org/x",
    )
    code, _, err = run_add(tmp_path, emu, clock, Request(DSNOT, CHOICES))
    assert code == 0, err
    assert (papers / f"{ENTRY_ID}-2024.yaml").exists()


def test_parse_arxiv_argument_accepts_ids_and_urls() -> None:
    assert parse_arxiv_argument("https://arxiv.org/abs/2310.08915v2") == "2310.08915v2"
    assert parse_arxiv_argument("arXiv:2310.08915") == "2310.08915"
    assert parse_arxiv_argument(" https://arxiv.org/pdf/2310.08915 ") == "2310.08915"
    with pytest.raises(ValueError, match="not an arXiv paper URL"):
        parse_arxiv_argument("https://arxiv.org/list/cs.LG")


def test_the_cli_writes_the_entry_and_a_fresh_readme(tmp_path, emu, monkeypatch, capsys) -> None:
    small_catalog(tmp_path / "papers")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PRUNING_CATALOG_ARXIV_API", emu.endpoints()["arxiv_api"])
    monkeypatch.setenv("PRUNING_CATALOG_ARXIV_DELAY", "0")
    argv = [
        "add",
        DSNOT,
        "--when",
        "after-training",
        "--structure",
        "W",
        "--model",
        "llm",
        "--venue",
        "ICLR",
        "--year",
        "2024",
        "--added",
        "2026-01-05",
    ]
    assert main(argv) == 0
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "Dynamic Sparse No Training" in readme
    assert main(["readme", "--check"]) == 0
    assert main(["validate"]) == 0
    assert main(argv) == 1  # the second time it is a duplicate
    assert f"papers/{ENTRY_ID}.yaml (same arXiv id {DSNOT})" in capsys.readouterr().err


def test_on_a_real_terminal_the_command_asks_and_writes(tmp_path, emu) -> None:
    """The installed command on a pseudo-terminal: it shows the paper, offers the values, takes numbers or names."""
    import os
    import pty
    import select
    import subprocess
    import sys

    small_catalog(tmp_path / "papers")
    env = {**os.environ, "PRUNING_CATALOG_ARXIV_API": emu.endpoints()["arxiv_api"], "PRUNING_CATALOG_ARXIV_DELAY": "0"}
    master, slave = pty.openpty()
    command = [str(Path(sys.executable).parent / "pruning-catalog"), "add", DSNOT, "--no-readme", "--venue", "ICLR", "--year", "2024"]
    proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    seen = b""

    def until(marker: bytes) -> None:
        nonlocal seen
        while marker not in seen:
            ready, _, _ = select.select([master], [], [], 20)
            assert ready, f"no {marker!r} in {seen.decode(errors='replace')}"
            seen += os.read(master, 4096)

    try:
        until(b"when [numbers or names")
        assert DSNOT_TITLE.encode() in seen and b"after-training  (Pruning after Training)" in seen
        os.write(master, b"after-training\n")
        until(b"structure [numbers or names")
        os.write(master, b"9\n")  # the ninth structure code: W
        until(b"model [numbers or names")
        os.write(master, b"llm\n")
        assert proc.wait(timeout=30) == 0
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    paper = load_catalog(tmp_path / "papers").get(ENTRY_ID)
    assert paper is not None and paper.structure == ("W",) and paper.sections == ("after-training-llm",)
