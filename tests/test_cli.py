"""The command registry: every command module is registered once, and every command explains itself."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

from pruning_catalog.cli import COMMANDS, build_parser, main

COMMAND_PACKAGES = ("catalog.commands", "site_builder.commands")


def command_modules() -> list[str]:
    """Every module of the command packages that provides ``register`` (helpers like ``inputs`` do not)."""
    found = []
    for package_name in COMMAND_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__, f"{package_name}."):
            if hasattr(importlib.import_module(info.name), "register"):
                found.append(info.name)
    return sorted(found)


def test_every_command_module_is_registered_exactly_once() -> None:
    registered = [module.__name__ for module in COMMANDS]
    assert len(registered) == len(set(registered))
    assert sorted(registered) == command_modules()


def command_names() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert isinstance(sub.choices, dict)
    return list(sub.choices)


def test_help_lists_the_commands_in_registry_order(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    listed = re.findall(r"^    ([a-z][a-z-]*)\b", capsys.readouterr().out, flags=re.MULTILINE)
    assert listed == command_names()
    assert listed[:6] == ["validate", "import-markdown", "merge", "readme", "site", "check-links"]


@pytest.mark.parametrize("name", command_names())
def test_each_command_has_help_with_an_example(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([name, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: pruning-catalog {name}")
    assert "example" in out
