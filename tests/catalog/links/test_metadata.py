"""Writing data/repositories.json: atomic, sorted, readable by load_repo_metadata, merged with what is there."""

from __future__ import annotations

from catalog.metadata import load_repo_metadata, merge_repo_metadata, save_repo_metadata


def test_save_load_and_merge(tmp_path) -> None:
    path = tmp_path / "data/repositories.json"
    entry = {
        "canonical": "Owner/Repo",
        "stars": 5,
        "archived": False,
        "pushed_at": "2024-01-01T00:00:00Z",
        "checked_at": "2026-11-25",
        "extra": 1,
    }
    save_repo_metadata({"owner/repo": entry, "a/b": {**entry, "canonical": "a/b", "archived": True}}, path)
    text = path.read_text()
    assert text.index('"a/b"') < text.index('"owner/repo"') and '"extra"' not in text and text.endswith("}\n")
    loaded = load_repo_metadata(path)
    assert loaded["owner/repo"].canonical == "Owner/Repo" and loaded["a/b"].archived is True
    merged = merge_repo_metadata(path, {"new/one": {**entry, "canonical": "new/one"}}, keep={"owner/repo", "new/one"})
    assert sorted(merged) == ["new/one", "owner/repo"]
    save_repo_metadata(merged, path)
    assert save_repo_metadata(merged, tmp_path / "again.json") is None and (tmp_path / "again.json").read_text() == path.read_text()
    assert list(tmp_path.glob("data/.*.tmp")) == []
