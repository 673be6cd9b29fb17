"""The seed list's own history imports cleanly: one version a month (scripts/check_history.py does all 340)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
BUNDLE = ROOT.parent / "shared" / "seeds" / "awesome-pruning" / "history.bundle"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_history", ROOT / "scripts" / "check_history.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.mark.seed
@pytest.mark.skipif(not BUNDLE.exists(), reason=f"the seed list's history {BUNDLE} is not here (a fresh clone has no ../shared)")
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_one_version_a_month_imports_and_accounts_for_every_row(tmp_path: Path) -> None:
    check = _script()
    repo = check.clone(BUNDLE, tmp_path)
    every = check.versions(repo)
    assert len(every) == 340
    chosen = check.monthly(every) + [every[-1]]  # the first version of each month with commits, and the last
    assert len(chosen) >= 10  # 2023-02 .. 2024-08 has commits in 10 months
    results = [check.check_version(repo, v) for v in chosen]
    failed = [(r.version.commit[:7], r.error, r.unaccounted) for r in results if not r.ok]
    assert not failed
    assert results[-1].rows == 340 and results[-1].entries == 298  # the last version is the seed list itself
