"""``catalog.fileio``: a reader sees the old file or the new one, never half of one; unchanged files are left alone."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from catalog.fileio import write_bytes_atomic, write_text_atomic


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_it_creates_folders_and_writes_text_with_lf_endings(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "folder" / "paper.yaml"
    assert write_text_atomic(target, "a: 1\nb: 2\n") is True
    assert target.read_bytes() == b"a: 1\nb: 2\n"
    assert write_text_atomic(target, "a: 3\n") is True
    assert target.read_text(encoding="utf-8") == "a: 3\n"
    assert names(target.parent) == ["paper.yaml"]


def test_text_is_utf8_and_newlines_are_not_translated(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    write_text_atomic(target, "Pruning — sparsity\r\nkept as given\n")
    assert target.read_bytes() == "Pruning — sparsity\r\nkept as given\n".encode()


def test_an_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    write_text_atomic(target, "same\n")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert write_text_atomic(target, "same\n") is False
    assert target.stat().st_mtime_ns == 1_000_000_000
    assert write_text_atomic(target, "same\n", only_if_changed=False) is True
    assert target.stat().st_mtime_ns != 1_000_000_000


def test_bytes_are_written_as_given(tmp_path: Path) -> None:
    target = tmp_path / "logo.png"
    data = bytes(range(256)) * 3
    assert write_bytes_atomic(target, data) is True
    assert target.read_bytes() == data
    assert write_bytes_atomic(target, data) is False
    assert write_bytes_atomic(target, data[:10]) is True
    assert target.read_bytes() == data[:10]


def test_a_failed_encoding_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "paper.yaml"
    target.write_text("old: true\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, "new: \ud800\n")  # a lone surrogate cannot be encoded
    assert target.read_text(encoding="utf-8") == "old: true\n"
    assert names(tmp_path) == ["paper.yaml"]


def test_a_failed_replace_leaves_the_target_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.mkdir()  # a folder in the way: os.replace of a file onto it fails
    (target / "keep").write_text("x", encoding="utf-8")
    with pytest.raises(OSError):
        write_text_atomic(target, "{}\n")
    assert names(tmp_path) == ["report.json"]
    assert names(target) == ["keep"]


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_follows_the_umask(tmp_path: Path) -> None:
    kept = tmp_path / "script.sh"
    kept.write_text("old\n", encoding="utf-8")
    kept.chmod(0o751)
    write_text_atomic(kept, "new\n")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o751
    previous = os.umask(0o027)
    try:
        fresh = tmp_path / "fresh.txt"
        write_text_atomic(fresh, "x\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640  # not mkstemp's 0600
