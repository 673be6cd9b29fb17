"""``pruning-catalog enrich``: only missing fields filled, batched and spaced, cached, comments kept, --dry-run a diff."""

from __future__ import annotations

import datetime as dt

from catalog.arxiv_api import MetadataCache
from catalog.canonical import SCHEMA_LINE
from catalog.commands.enrich import enrich
from catalog.load import load_catalog
from pruning_catalog.cli import main
from tests.support.arxiv import config_for
from tests.support.factory import write_paper


def catalog_of(tmp_path, n: int = 3):
    folder = tmp_path / "papers"
    for i in range(1, n + 1):
        write_paper(folder, id=f"p{i}", title=f"Pruning study {i}", url=f"https://arxiv.org/abs/2301.{i:05d}", code=None)
    return folder


def publish(emu, n: int = 3) -> None:
    for i in range(1, n + 1):
        emu.add_paper(
            f"2301.{i:05d}",
            f"Pruning study {i}",
            authors=(f"Author {i}", "Co Author"),
            abstract=f"Abstract {i}.",
            published=f"2023-01-{i:02d}T00:00:00Z",
        )


def test_missing_fields_are_filled_and_given_ones_kept(tmp_path, emu, clock) -> None:
    folder = catalog_of(tmp_path)
    write_paper(folder, id="p2", title="Pruning study 2", url="https://arxiv.org/abs/2301.00002", code=None, authors=["Given Author"])
    publish(emu)
    result = enrich(load_catalog(folder), config=config_for(emu), clock=clock)
    assert len(result.changed) == 3
    for path, (_, new) in result.changed.items():
        path.write_text(new, encoding="utf-8")
    catalog = load_catalog(folder)
    assert catalog.get("p1").authors == ("Author 1", "Co Author") and catalog.get("p1").abstract == "Abstract 1."
    assert catalog.get("p1").published == dt.date(2023, 1, 1)
    assert catalog.get("p2").authors == ("Given Author",) and catalog.get("p2").abstract == "Abstract 2."
    assert (folder / "p1.yaml").read_text(encoding="utf-8").startswith(SCHEMA_LINE)
    assert len(emu.requests("arxiv-api")) == 1  # one batch for all three


def test_batches_of_100_three_seconds_apart(tmp_path, emu, clock) -> None:
    folder = catalog_of(tmp_path, 150)
    publish(emu, 150)
    enrich(load_catalog(folder), config=config_for(emu), clock=clock)
    calls = emu.requests("arxiv-api")
    assert [c.form["max_results"] for c in calls] == [["100"], ["50"]]
    assert calls[1].at - calls[0].at >= 3.0


def test_comments_survive(tmp_path, emu, clock) -> None:
    folder = catalog_of(tmp_path, 1)
    path = folder / "p1.yaml"
    path.write_text(
        "# checked by hand\n" + path.read_text(encoding="utf-8").replace("year: 2023", "year: 2023  # the NeurIPS year"), encoding="utf-8"
    )
    publish(emu, 1)
    result = enrich(load_catalog(folder), config=config_for(emu), clock=clock)
    new = result.changed[path][1]
    assert "# checked by hand" in new and "# the NeurIPS year" in new and "authors: [Author 1, Co Author]" in new


def test_the_cache_spares_a_second_run_every_request(tmp_path, emu, clock) -> None:
    folder = catalog_of(tmp_path)
    publish(emu)
    cache = MetadataCache(tmp_path / "cache.json", now=clock.time())
    enrich(load_catalog(folder), config=config_for(emu), clock=clock, cache=cache)
    cache.save()
    again = enrich(
        load_catalog(folder), config=config_for(emu), clock=clock, cache=MetadataCache(tmp_path / "cache.json", now=clock.time())
    )
    assert len(again.changed) == 3 and again.requests == 0
    assert len(emu.requests("arxiv-api")) == 1


def test_unknown_ids_are_warnings_and_complete_entries_are_not_asked(tmp_path, emu, clock) -> None:
    folder = catalog_of(tmp_path, 2)
    write_paper(
        folder,
        id="done",
        title="Complete",
        url="https://arxiv.org/abs/2301.00009",
        code=None,
        authors=["A"],
        abstract="Done.",
        published=dt.date(2023, 1, 9),
    )
    emu.add_paper("2301.00001", "Pruning study 1", authors=("A",))
    result = enrich(load_catalog(folder), config=config_for(emu), clock=clock)
    assert set(result.failed) == {"p2"} and "no paper" in result.failed["p2"]
    assert "2301.00009" not in emu.requests("arxiv-api")[0].form["id_list"][0]


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path, emu, monkeypatch, capsys) -> None:
    folder = catalog_of(tmp_path, 2)
    publish(emu, 2)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PRUNING_CATALOG_ARXIV_API", emu.endpoints()["arxiv_api"])
    monkeypatch.setenv("PRUNING_CATALOG_ARXIV_DELAY", "0")
    before = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}
    assert main(["enrich", "--dry-run", "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "+authors: [Author 1, Co Author]" in out and "--- a/papers/p1.yaml" in out
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()} == before
    assert main(["enrich", "--no-cache"]) == 0
    assert load_catalog(folder).get("p2").authors == ("Author 2", "Co Author")


def test_api_down_exits_2(tmp_path, emu, monkeypatch) -> None:
    catalog_of(tmp_path, 1)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PRUNING_CATALOG_ARXIV_API", emu.endpoints()["arxiv_api"])
    monkeypatch.setenv("PRUNING_CATALOG_ARXIV_DELAY", "0")
    emu.stop()
    assert main(["enrich", "--no-cache", "--timeout", "0.5"]) == 2
