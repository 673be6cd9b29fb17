"""The paper model: each rule of a ``papers/<id>.yaml`` entry, one change from a valid entry at a time.

Rejections go through the real loader so that every test also proves the message names the
file, the line and the field (``path:line: field: message``). Normalisations are checked on the
model itself.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from catalog.model import Paper, arxiv_from_url, arxiv_year
from tests.support.catalog_files import assert_reported, line_of, problems_of, raw_yaml
from tests.support.factory import make_paper, paper_data

PATH = "papers/sample-paper.yaml"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def reported(**overrides) -> tuple[str, list[str]]:
    """Write the factory paper with ``overrides`` and return its text and printed problems."""
    text = raw_yaml(**overrides)
    return text, problems_of(text)


def test_the_factory_paper_is_valid():
    assert problems_of(raw_yaml()) == []


# -- keys and types ---------------------------------------------------------------------------


def test_an_unknown_top_level_key_is_rejected():
    text = raw_yaml() + "colour: red\n"
    assert_reported(problems_of(text), line_of(text, "colour:"), "colour", "unknown key")


def test_an_unknown_key_inside_a_code_link_is_rejected():
    text, problems = reported(code=[{"url": "https://github.com/example/sample", "licence": "MIT"}])
    assert_reported(problems, line_of(text, "licence:"), "code.0.licence", "unknown key")


def test_an_unknown_axis_in_tags_is_rejected():
    text, problems = reported(tags={"when": ["after-training"], "colour": ["red"]})
    assert_reported(problems, line_of(text, "colour:"), "tags.colour", "unknown key")


@pytest.mark.parametrize("field", ["title", "url", "venue", "year", "added"])
def test_a_required_field_may_not_be_missing(field):
    _, problems = reported(**{field: None})
    assert_reported(problems, 1, field, "required field is missing")


def test_a_year_written_as_a_string_is_a_type_error():
    text, problems = reported(year="2019")
    assert_reported(problems, line_of(text, "year:"), "year", "must be a whole number such as 2024")


def test_pioneer_written_as_the_string_yes_is_a_type_error():
    text, problems = reported(pioneer="yes")
    assert_reported(problems, line_of(text, "pioneer:"), "pioneer", "must be true or false")


def test_the_model_is_frozen():
    paper = make_paper()
    with pytest.raises(ValidationError):
        paper.title = "Changed"  # type: ignore[misc]
    assert isinstance(paper.tasks, tuple) and isinstance(paper.code, tuple)


def test_every_problem_of_a_file_is_reported_not_just_the_first():
    text, problems = reported(venue="Nowhere", year="2019", colour="red")
    assert_reported(problems, line_of(text, "venue:"), "venue", "unknown venue")
    assert_reported(problems, line_of(text, "year:"), "year", "must be a whole number such as 2024")
    assert_reported(problems, line_of(text, "colour:"), "colour", "unknown key")


# -- id and title -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["Sample_Paper", "sample--paper", "-sample", "sample paper"])
def test_the_id_must_be_a_slug(bad):
    text = raw_yaml(id=bad)
    assert_reported(problems_of(text, name=bad), 1, "id", "not a slug", path=f"papers/{bad}.yaml")


def test_an_id_longer_than_80_characters_is_rejected():
    long_id = "a" * 81
    assert_reported(problems_of(raw_yaml(id=long_id), name=long_id), 1, "id", "longer than 80", path=f"papers/{long_id}.yaml")


def test_the_title_is_trimmed_and_inner_whitespace_collapsed():
    assert make_paper(title="  Lottery   Tickets\n Revisited ").title == "Lottery Tickets Revisited"


def test_a_blank_title_is_rejected():
    text, problems = reported(title="   ")
    assert_reported(problems, line_of(text, "title:"), "title", "must not be empty")


# -- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://example.org/paper.pdf", "only http(s)"),
        ("javascript:alert(1)", "only http(s)"),
        ("example.org/paper", "only http(s)"),
        ("https://example.org/a paper.pdf", "whitespace"),
        ("https://", "no valid host"),
        ("https://intranet/paper", "no valid host"),
    ],
)
def test_the_paper_url_must_be_an_absolute_http_url_without_whitespace(url, fragment):
    text, problems = reported(url=url)
    assert_reported(problems, line_of(text, "url:"), "url", fragment)


def test_urls_are_trimmed():
    paper = make_paper(url="  https://example.org/paper  ", code=[{"url": " https://github.com/a/b\n"}])
    assert paper.url == "https://example.org/paper"
    assert paper.code[0].url == "https://github.com/a/b"


def test_a_bad_alternate_url_names_its_item_and_line():
    text, problems = reported(alternate_urls=["https://example.org/ok", "mailto:someone@example.org"])
    assert_reported(problems, line_of(text, "- mailto:"), "alternate_urls.1", "only http(s)")


def test_a_bad_code_url_names_its_item_and_line():
    text, problems = reported(code=[{"url": "https://github.com/a/b"}, {"url": "git@github.com:a/c.git"}])
    assert_reported(problems, line_of(text, "- url: git@"), "code.1.url", "only http(s)")


# -- venue and award --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"), [("NIPS", "NeurIPS"), ("nips", "NeurIPS"), (" neurips ", "NeurIPS"), ("IEEE TPAMI", "TPAMI")]
)
def test_venue_aliases_become_the_canonical_name(written, canonical):
    assert make_paper(venue=written).venue == canonical


def test_an_unknown_venue_is_rejected():
    text, problems = reported(venue="Journal of Pruning")
    assert_reported(problems, line_of(text, "venue:"), "venue", "unknown venue 'Journal of Pruning'")


def test_an_award_inside_the_venue_is_rejected_with_a_hint():
    text, problems = reported(venue="ICLR (TOP 5%)")
    assert_reported(problems, line_of(text, "venue:"), "venue", "venue: ICLR, award: Top 5%")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("TOP 5%", "Top 5%"), ("top-25%", "Top 25%"), ("spotlight", "Spotlight"), ("Oral", "Oral"), ("best paper", "Best Paper")],
)
def test_award_aliases_become_the_canonical_name(written, canonical):
    paper = make_paper(venue="ICLR", award=written)
    assert (paper.venue, paper.award) == ("ICLR", canonical)


def test_an_unknown_award_is_rejected():
    text, problems = reported(award="Honourable Mention")
    assert_reported(problems, line_of(text, "award:"), "award", "unknown award")


def test_other_venues_use_the_same_aliases():
    paper = make_paper(other_venues=[{"venue": "ieee tpami", "year": 2024}])
    assert paper.other_venues[0].venue == "TPAMI"


# -- year and arXiv id ------------------------------------------------------------------------


def test_the_arxiv_id_is_taken_from_an_arxiv_url():
    assert make_paper(url="https://arxiv.org/pdf/2301.00774v2").arxiv == "2301.00774v2"
    assert make_paper(url="http://export.arxiv.org/abs/cs/0112017", year=2001).arxiv == "cs/0112017"
    assert make_paper(url="https://example.org/paper.pdf").arxiv is None


def test_a_given_arxiv_id_is_kept():
    assert make_paper(url="https://example.org/paper", arxiv="2301.00774").arxiv == "2301.00774"


def test_a_year_earlier_than_the_arxiv_id_is_valid_but_known():
    # OPQ: AAAI 2021, arXiv 2022. A paper can be published before its preprint appears.
    paper = make_paper(year=2022)  # arXiv 2301.00774 was issued in 2023
    assert paper.year == 2022 and paper.year_before_arxiv == 2023
    assert make_paper(year=2023).year_before_arxiv is None


def test_an_old_style_arxiv_id_is_compared_too():
    assert make_paper(url="https://example.org/paper", arxiv="hep-th/9901001", year=1998).year_before_arxiv == 1999


@pytest.mark.parametrize(
    "bad",
    [
        "2301.774",  # too few digits
        "2313.00774",  # month 13
        "1412.12345",  # 5 digits before 2015
        "1501.0001",  # 4 digits from 2015 on
        "0612.1234",  # the YYMM.NNNN form starts in April 2007
        "arXiv:2301.00774",  # prefix
        "2301.00774v",  # empty version
        "CS/0112017",  # archive names are lowercase
        "cs/011201",  # old-style numbers have 3 digits after YYMM
    ],
)
def test_malformed_arxiv_ids_are_rejected(bad):
    text, problems = reported(url="https://example.org/paper", arxiv=bad, year=2024)
    assert_reported(problems, line_of(text, "arxiv:"), "arxiv", "not an arXiv identifier")


@pytest.mark.parametrize(
    ("good", "year"), [("2301.00774v2", 2023), ("0704.0001", 2007), ("1412.1234", 2014), ("cs/0112017", 2001), ("math.GT/0309136", 2003)]
)
def test_well_formed_arxiv_ids_are_accepted(good, year):
    assert make_paper(url="https://example.org/paper", arxiv=good, year=year).arxiv == good
    assert arxiv_year(good) == year


def test_a_malformed_id_inside_an_arxiv_url_points_at_the_url():
    text, problems = reported(url="https://arxiv.org/abs/2313.00774")
    assert_reported(problems, line_of(text, "url:"), "url", "month 13 does not exist")


def test_an_arxiv_id_that_disagrees_with_the_arxiv_url_is_rejected():
    text, problems = reported(arxiv="2302.00001")
    assert_reported(problems, line_of(text, "arxiv:"), "arxiv", "does not match the arXiv id in the paper URL")


def test_an_unquoted_arxiv_id_is_a_type_error_not_a_silently_rounded_float():
    text = raw_yaml(url="https://example.org/paper") + "arxiv: 2301.10770\n"
    assert_reported(problems_of(text), line_of(text, "arxiv:"), "arxiv", "must be text, not the number 2301.1077 (put it in quotes)")


def test_arxiv_from_url_ignores_other_hosts():
    assert arxiv_from_url("https://arxiv.org/abs/2301.00774") == "2301.00774"
    assert arxiv_from_url("https://notarxiv.org/abs/2301.00774") is None


@pytest.mark.parametrize("year", [1939, dt.date.today().year + 2])
def test_a_year_outside_the_plausible_range_is_rejected(year):
    text, problems = reported(url="https://example.org/paper", year=year)
    assert_reported(problems, line_of(text, "year:"), "year", "")


# -- algorithm, code, tasks -------------------------------------------------------------------


def test_the_algorithm_is_optional_and_trimmed():
    assert make_paper(algorithm=None).algorithm is None
    assert make_paper(algorithm="  SNIP ").algorithm == "SNIP"


@pytest.mark.parametrize(
    ("written", "canonical"), [("TensorFLow", "TensorFlow"), ("pytorch", "PyTorch"), ("lua", "Torch (Lua)"), ("paddle", "PaddlePaddle")]
)
def test_code_frameworks_are_canonicalised(written, canonical):
    assert make_paper(code=[{"url": "https://github.com/a/b", "framework": written}]).code[0].framework == canonical


def test_an_unknown_framework_is_rejected():
    text, problems = reported(code=[{"url": "https://github.com/a/b", "framework": "Theano"}])
    assert_reported(problems, line_of(text, "framework:"), "code.0.framework", "unknown framework 'Theano'")


def test_code_links_say_whether_they_are_official():
    paper = make_paper(
        code=[
            {"url": "https://github.com/a/b", "official": True},
            {"url": "https://github.com/c/d", "official": False},
            {"url": "https://github.com/e/f"},
        ]
    )
    assert [c.official for c in paper.code] == [True, False, None]
    assert paper.has_code


def test_official_must_be_a_boolean():
    text, problems = reported(code=[{"url": "https://github.com/a/b", "official": "yes"}])
    assert_reported(problems, line_of(text, "official:"), "code.0.official", "must be true or false")


def test_a_code_link_status_comes_from_a_closed_list():
    assert not make_paper(code=[{"url": "https://github.com/a/b", "status": "releasing"}]).has_code
    text, problems = reported(code=[{"url": "https://github.com/a/b", "status": "soon"}])
    allowed = "'available', 'releasing', 'unavailable', 'deleted' or 'link-invalid'"
    assert_reported(problems, line_of(text, "status:"), "code.0.status", allowed)


def test_code_must_be_a_list():
    text, problems = reported(code="https://github.com/a/b")
    assert_reported(problems, line_of(text, "code:"), "code", "must be a list")


def test_tasks_and_authors_are_trimmed_and_deduplicated():
    paper = make_paper(tasks=[" Image Classification", "Image Classification ", "Detection"], authors=["Ada  Lovelace", "Ada Lovelace"])
    assert paper.tasks == ("Image Classification", "Detection")
    assert paper.authors == ("Ada Lovelace",)


def test_authors_are_optional():
    assert make_paper().authors == ()


# -- taxonomy values --------------------------------------------------------------------------


def test_an_unknown_model_family_is_rejected_and_named():
    text, problems = reported(models=["cnn", "rnn"])
    assert_reported(problems, line_of(text, "models:"), "models", "unknown models value(s) 'rnn'")


def test_an_unknown_structure_code_is_rejected():
    text, problems = reported(structure=["W", "Q"])
    assert_reported(problems, line_of(text, "structure:"), "structure", "unknown structure value(s) 'Q'")


def test_an_unknown_tag_value_is_rejected_on_its_axis():
    text, problems = reported(tags={"when": ["after-training", "sometime"]})
    assert_reported(problems, line_of(text, "when:"), "tags.when", "unknown when value(s) 'sometime'")


def test_values_are_deduplicated_and_put_in_taxonomy_order():
    paper = make_paper(
        models=["llm", "cnn", "llm"], structure=["W", "C"], tags={"when": ["after-training"], "fusion": ["nas", "quantization"]}
    )
    assert paper.models == ("cnn", "llm")
    assert paper.structure == ("C", "W")
    assert paper.tags.fusion == ("quantization", "nas")


def test_criteria_learn_and_fusion_may_be_empty():
    paper = make_paper(tags={"when": ["after-training"]})
    assert (paper.tags.criteria, paper.tags.learn, paper.tags.fusion) == ((), (), ())


def test_a_tag_axis_must_be_a_list():
    text, problems = reported(tags={"when": "after-training"})
    assert_reported(problems, line_of(text, "when:"), "tags.when", "must be a list")


# -- speedup ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("structure", "speedup"),
    [
        (["W"], ("unstructured",)),
        (["N:M"], ("semi-structured",)),
        (["1xN"], ("semi-structured",)),
        *[([code], ("structured",)) for code in "LFCNHBME"],
        (["W", "C"], ("unstructured", "structured")),
        (["other"], ()),
        ([], ()),
    ],
)
def test_speedup_is_derived_from_the_structure(structure, speedup):
    paper = make_paper(structure=structure)
    assert paper.speedup == speedup
    assert paper.axis_values("speedup") == speedup


def test_a_set_speedup_wins_over_the_structure():
    paper = make_paper(structure=["W"], tags={"when": ["after-training"], "speedup": ["semi-structured"]})
    assert paper.speedup == ("semi-structured",)


# -- sections ---------------------------------------------------------------------------------


def test_an_unknown_section_is_rejected():
    text, problems = reported(sections=["after-training-cnn", "pruning-rnns"])
    assert_reported(problems, line_of(text, "sections:"), "sections", "unknown section(s) 'pruning-rnns'")


def test_a_section_requires_the_tags_it_implies():
    text, problems = reported(sections=["before-training-cnn"], models=["llm"])
    assert_reported(
        problems, line_of(text, "sections:"), "sections", "section 'before-training-cnn' requires tags.when to include before-training"
    )
    assert_reported(problems, line_of(text, "sections:"), "sections", "section 'before-training-cnn' requires models to include cnn")


def test_a_refinement_satisfies_its_parent():
    paper = make_paper(tags={"when": ["post-training"]}, sections=["after-training-cnn", "post-training"])
    assert paper.sections == ("after-training-cnn", "post-training")
    assert make_paper(tags={"when": ["early-training"]}, sections=["during-training-cnn"]).sections == ("during-training-cnn",)


def test_a_parent_does_not_satisfy_a_refinement():
    text, problems = reported(sections=["post-training"])  # tagged after-training, not post-training
    assert_reported(problems, line_of(text, "sections:"), "sections", "requires tags.when to include post-training")


def test_the_survey_section_requires_the_survey_flag():
    text, problems = reported(sections=["survey"])
    assert_reported(problems, line_of(text, "sections:"), "sections", "requires survey: true")
    assert make_paper(sections=["survey"], survey=True).sections == ("survey",)


def test_facet_sections_require_their_facet():
    text, problems = reported(sections=["federated-learning"])
    assert_reported(problems, line_of(text, "sections:"), "sections", "requires settings to include federated")
    assert make_paper(sections=["federated-learning"], settings=["federated"]).settings == ("federated",)


def test_sections_are_put_in_list_order():
    paper = make_paper(sections=["computer-vision", "after-training-cnn"], applications=["computer-vision"])
    assert paper.sections == ("after-training-cnn", "computer-vision")


def test_sections_may_be_empty():
    assert make_paper(sections=[]).sections == ()


# -- flags, dates, notes ----------------------------------------------------------------------


def test_the_pioneer_flag_defaults_to_false():
    assert make_paper().pioneer is False
    assert make_paper(pioneer=True).pioneer is True


@pytest.mark.parametrize("added", ["2024-08-01", "2024-08-01 10:00:00", "yesterday"])
def test_added_must_be_a_date(added):
    text = raw_yaml().replace("added: 2024-08-01", f"added: {added!r}" if added == "2024-08-01" else f"added: {added}")
    assert_reported(problems_of(text), line_of(text, "added:"), "added", "is not a date: write dates as YYYY-MM-DD")


def test_a_review_note_is_optional_trimmed_and_not_blank():
    assert make_paper().review is None
    assert make_paper(review="  Two rows disagree\n on the venue. ").review == "Two rows disagree on the venue."
    text, problems = reported(review="  ")
    assert_reported(problems, line_of(text, "review:"), "review", "must not be empty")


def test_validation_does_not_change_the_input_data():
    data = paper_data()
    before = repr(data)
    Paper.model_validate(data)
    assert repr(data) == before


def test_a_task_may_not_contain_the_list_separator():
    text, problems = reported(tasks=["Detection & Segmentation"])
    assert_reported(problems, line_of(text, "tasks:"), "tasks", "must not contain '&'")


# -- curation fields ----------------------------------------------------------------------------


def test_tasks_are_a_closed_vocabulary_with_aliases_for_list_typos():
    tasks = make_paper(tasks=["Speach Recognition", "Lanugage Modeling", "VQA"]).tasks
    assert tasks == ("Speech Recognition", "Language Modeling", "Visual Question Answering")
    assert make_paper(tasks=["Speech Recognition", "speach recognition"]).tasks == ("Speech Recognition",)
    assert make_paper(tasks=["Basket Weaving"]).tasks == ("Basket Weaving",)  # kept; the validator warns (test_checks)


def test_title_aliases_and_unclassified_reason_are_kept():
    paper = make_paper(title="Network Slimming", title_aliases=["Networks Slimming"], unclassified_reason="random masks")
    assert paper.title_aliases == ("Networks Slimming",) and paper.unclassified_reason == "random masks"


def test_curated_names_known_axes_or_fields_with_a_date_and_sources():
    paper = make_paper(curated={"axes": ["year", "criteria", "authors"], "date": dt.date(2026, 12, 2), "source": ["https://arxiv.org/abs/2301.00774"]})
    assert paper.curated is not None and paper.curated.axes == ("criteria", "authors", "year")  # taxonomy order, then fields
    with pytest.raises(ValidationError, match="unknown curated axis or field 'colour'"):
        make_paper(curated={"axes": ["colour"], "date": dt.date(2026, 12, 2)})
    with pytest.raises(ValidationError, match="at least one"):
        make_paper(curated={"axes": [], "date": dt.date(2026, 12, 2)})
