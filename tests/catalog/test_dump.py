"""The canonical YAML form: YAML -> model -> YAML loses nothing and is byte-identical.

``dump(load(dump(p))) == dump(p)`` and ``load(dump(p)) == p`` are checked for the factory
paper, a paper using every field, strings that YAML would misread if written carelessly, and a
few hundred synthetic papers. (Writing files: see test_fileio.py.)
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from catalog.dump import dump_paper
from catalog.load import parse_paper_text
from catalog.model import Paper
from tests.support.factory import make_paper, paper_data, synthetic_paper


def reload(text: str) -> Paper:
    """Load text through the real (strict) loader, failing the test on any problem."""
    paper, _, problems = parse_paper_text(text, "papers/round-trip.yaml")
    assert problems == [] and paper is not None, [str(p) for p in problems]
    return paper


def assert_round_trip(paper: Paper) -> str:
    text = dump_paper(paper)
    again = reload(text)
    assert again == paper
    assert dump_paper(again) == text
    return text


FULL = dict(
    id="full-paper",
    title="Lottery Tickets: Revisited",
    authors=["Zoë Ng", "Ana O'Neil"],
    url="https://arxiv.org/pdf/2301.00774v2",
    alternate_urls=["https://openreview.net/forum?id=abc", "https://example.org/paper#page=2"],
    venue="nips",
    award="top 5%",
    year=2023,
    other_venues=[{"venue": "ieee tpami", "year": 2024}],
    algorithm="LTH-R",
    code=[
        {"url": "https://github.com/a/b", "framework": "tensorflow", "official": False, "status": "releasing"},
        {"url": "https://gitee.com/c/d"},
    ],
    tasks=["Image Classification", "Language Modeling"],
    structure=["W", "N:M", "C"],
    models=["llm", "cnn"],
    settings=["federated"],
    applications=["nlp"],
    pioneer=True,
    survey=False,
    tags={"speedup": ["structured"], "when": ["post-training"], "criteria": [], "learn": ["gnn"], "fusion": ["quantization", "nas"]},
    sections=["federated-learning", "post-training"],
    review="Two rows of the list disagree on the venue.",
    added=dt.date(2025, 1, 2),
)


def test_the_canonical_form_of_the_factory_paper():
    assert dump_paper(make_paper()) == (
        "id: sample-paper\n"
        "title: A Sample Paper on Pruning\n"
        "url: https://arxiv.org/abs/2301.00774\n"
        "venue: NeurIPS\n"
        "year: 2023\n"
        "algorithm: Sample\n"
        "code:\n"
        "- url: https://github.com/example/sample\n"
        "  framework: PyTorch\n"
        "  official: true\n"
        "tasks: [Image Classification]\n"
        "structure: [W]\n"
        "models: [cnn]\n"
        "tags:\n"
        "  when: [after-training]\n"
        "  criteria: [magnitude]\n"
        "  learn: []\n"
        "  fusion: []\n"
        "sections: [after-training-cnn]\n"
        "added: 2024-08-01\n"
    )


def test_the_factory_paper_round_trips():
    assert_round_trip(make_paper())


def test_a_paper_using_every_field_round_trips():
    text = assert_round_trip(make_paper(**FULL))
    assert "venue: NeurIPS\n" in text and "award: Top 5%\n" in text and "framework: TensorFlow\n" in text


def test_every_field_of_the_full_paper_survives():
    paper = reload(dump_paper(make_paper(**FULL)))
    assert paper.alternate_urls == ("https://openreview.net/forum?id=abc", "https://example.org/paper#page=2")
    assert paper.other_venues[0].venue == "TPAMI" and paper.other_venues[0].year == 2024
    assert [(c.framework, c.official, c.status) for c in paper.code] == [("TensorFlow", False, "releasing"), (None, None, "available")]
    assert paper.tags.speedup == ("structured",) and paper.pioneer is True and paper.added == dt.date(2025, 1, 2)
    assert paper.arxiv == "2301.00774v2"


TRICKY = [
    "yes",
    "No",
    "null",
    "~",
    "2020-01-01",
    "1e3",
    "0x1F",
    "3.14",
    "012",
    "@home",
    "`tick`",
    "- dash",
    "key: value",
    "trailing colon:",
    "has # hash",
    "#hashtag",
    "[bracketed]",
    "{braced}",
    "'single'",
    '"double"',
    "back\\slash",
    "ÆØÅ ünïcödé 中文 😀",
    "percent 100%",
    "&anchor-like",
    "*alias-like",
    "!tag-like",
    "| pipe",
    "> folded",
    "a" * 300,
]


@pytest.mark.parametrize("value", TRICKY)
def test_strings_yaml_could_misread_round_trip(value):
    tasks = [value, "Plain"] if "&" not in value else ["Plain"]  # the list joins tasks with '&'
    paper = make_paper(title=f"{value}", algorithm=value, tasks=tasks, authors=[value], review=value)
    assert_round_trip(paper)
    assert reload(dump_paper(paper)).algorithm == value


def test_synthetic_papers_round_trip():
    rng = random.Random(7)
    for i in range(300):
        assert_round_trip(synthetic_paper(i, rng))


def test_the_same_paper_written_differently_gives_the_same_bytes():
    plain = make_paper(**FULL)
    shuffled = dict(reversed(list(paper_data(**FULL).items())))
    shuffled.update(
        models=["cnn", "llm", "cnn"],
        structure=["C", "N:M", "W"],
        sections=["post-training", "federated-learning"],
        venue="  NeurIPS ",
        title="  Lottery   Tickets:\n Revisited ",
    )
    assert dump_paper(Paper.model_validate(shuffled)) == dump_paper(plain)


def test_dumping_is_deterministic_and_plain():
    text = dump_paper(make_paper(**FULL))
    assert text == dump_paper(make_paper(**FULL))
    assert "\r" not in text and text.endswith("\n") and not text.endswith("\n\n")
    assert "!!" not in text and "&id" not in text and "*id" not in text


def test_defaults_are_left_out_and_the_hand_classified_axes_kept():
    text = dump_paper(make_paper(tags={"when": ["after-training"]}, code=[{"url": "https://github.com/a/b"}]))
    for absent in ("pioneer:", "survey:", "status:", "official:", "review:", "authors:", "speedup:", "arxiv:"):
        assert absent not in text
    for present in ("  when: [after-training]\n", "  criteria: []\n", "  learn: []\n", "  fusion: []\n"):
        assert present in text


def test_an_explicit_arxiv_id_is_kept_when_the_url_does_not_say_it():
    text = assert_round_trip(make_paper(url="https://example.org/paper", arxiv="2301.00774"))
    assert "arxiv: '2301.00774'\n" in text
