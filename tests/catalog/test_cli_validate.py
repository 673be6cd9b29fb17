"""``pruning-catalog validate``: exit codes, the text and JSON reports, and a real subprocess.

Exit 0 when the catalog is valid (warnings allowed), 1 when the data is wrong, 2 when the
command is used wrongly. Most tests call ``pruning_catalog.cli.main`` in-process; one runs
``python -m pruning_catalog validate`` as a real subprocess to prove the shell sees the same codes and
never a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pruning_catalog.cli import main
from tests.support.catalog_files import line_of, raw_yaml, write_raw
from tests.support.catalog_files import write_distinct_paper as good

PAPERS = Path("papers")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)




def bad_venue(pid: str = "broken") -> tuple[Path, str]:
    text = raw_yaml(id=pid, venue="Journal of Pruning", url=f"https://example.org/{pid}")
    return write_raw(PAPERS, text, name=pid), text


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["validate", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_valid_catalog_exits_0(capsys):
    good("first")
    good("second")
    code, out, err = run(capsys)
    assert (code, out) == (0, "")
    assert err == "valid: 2 paper files, 0 errors, 0 warnings\n"


def test_an_invalid_catalog_exits_1_and_prints_path_line_field_message(capsys):
    good("first")
    _, text = bad_venue()
    code, out, err = run(capsys)
    assert code == 1
    assert (
        out
        == f"papers/broken.yaml:{line_of(text, 'venue:')}: venue: "
        "unknown venue 'Journal of Pruning'; add it (or an alias) to catalog/taxonomy.yaml\n"
    )
    assert err == "INVALID: 2 paper files, 1 errors, 0 warnings\n"


def test_warnings_alone_still_exit_0(capsys):
    good("first", url="https://example.org/shared", title="Movement Pruning")
    good("second", url="https://example.org/shared", title="Channel Gating", review="Both rows link the same page; asked the maintainers.")
    code, out, err = run(capsys)
    assert code == 0
    assert out.startswith("papers/second.yaml:3: url: warning: URL (example.org/shared)")
    assert "0 errors, 1 warnings" in err


def test_errors_in_many_files_are_all_printed_in_file_order(capsys):
    bad_venue("zz-broken")
    bad_venue("aa-broken")
    code, out, _ = run(capsys)
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == ["papers/aa-broken.yaml", "papers/zz-broken.yaml"]


def test_json_output_of_a_valid_catalog(capsys):
    good("first")
    code, out, err = run(capsys, "--format", "json")
    assert code == 0 and err == ""
    assert json.loads(out) == {"valid": True, "papers": 1, "errors": [], "warnings": []}


def test_json_output_lists_errors_and_warnings_as_objects(capsys):
    good("first", url="https://example.org/shared", title="Movement Pruning")
    good("second", url="https://example.org/shared", title="Channel Gating", review="Known: the list links one page for both.")
    _, text = bad_venue()
    code, out, _ = run(capsys, "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert set(report) == {"valid", "papers", "errors", "warnings"}
    assert report["valid"] is False and report["papers"] == 3
    assert report["errors"] == [
        {
            "path": "papers/broken.yaml",
            "line": line_of(text, "venue:"),
            "field": "venue",
            "message": "unknown venue 'Journal of Pruning'; add it (or an alias) to catalog/taxonomy.yaml",
            "severity": "error",
        }
    ]
    [warning] = report["warnings"]
    assert (warning["path"], warning["line"], warning["field"], warning["severity"]) == ("papers/second.yaml", 3, "url", "warning")


def test_paths_select_files_instead_of_the_papers_folder(capsys):
    first = good("first")
    bad_venue()
    assert run(capsys, str(first))[0] == 0
    assert run(capsys, str(first), "papers/broken.yaml")[0] == 1


def test_the_papers_option_names_another_folder(capsys):
    good("first", folder=Path("elsewhere"))
    code, _, err = run(capsys, "--papers", "elsewhere")
    assert code == 0 and "1 paper files" in err


def test_an_unknown_format_is_a_usage_error_exiting_2(capsys):
    good("first")
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--format", "xml"])
    assert caught.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_a_missing_folder_is_a_usage_error_exiting_2(capsys):
    code, out, err = run(capsys, "--papers", "nowhere")
    assert (code, out) == (2, "")
    assert "nowhere: no such file or folder" in err


def test_help_shows_an_example(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--help"])
    assert caught.value.code == 0
    assert "pruning-catalog validate papers/" in capsys.readouterr().out


def _shell(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pruning_catalog", "validate", *argv], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_the_real_command_line_keeps_its_exit_codes_and_never_shows_a_traceback(tmp_path):
    good("first")
    assert _shell(cwd=tmp_path).returncode == 0

    write_raw(PAPERS, raw_yaml(id="hostile") + "x: !!python/object/apply:os.system ['echo owned']\n", name="hostile")
    write_raw(PAPERS, b"title: caf\xe9\n", name="latin")
    write_raw(PAPERS, raw_yaml(id="typed", year="2019", pioneer="yes", url="https://example.org/typed"), name="typed")
    result = _shell(cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "owned" not in result.stdout
    lines = result.stdout.splitlines()
    assert any(line.startswith("papers/hostile.yaml:") and "is not allowed" in line for line in lines)
    assert any(line.startswith("papers/latin.yaml:1: -: not valid UTF-8") for line in lines)
    assert any(line.startswith("papers/typed.yaml:") and ": year: " in line for line in lines)

    json_result = _shell("--format", "json", cwd=tmp_path)
    assert json_result.returncode == 1 and json.loads(json_result.stdout)["valid"] is False

    usage = _shell("--format", "xml", cwd=tmp_path)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
