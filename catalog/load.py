"""Reading ``papers/*.yaml`` into validated :class:`~catalog.model.Paper` objects.

Loading is the only place that touches paper files. It is defensive because the input comes
from pull requests: safe YAML only (the C parser when present, for speed), no anchors or
aliases (so no alias bombs), no duplicate keys, a size cap, strict UTF-8; and every problem
comes back as a :class:`~catalog.errors.Problem` with the file, the line and the field,
never as a traceback.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Hashable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from catalog.catalog import Catalog
from catalog.checks import cross_checks
from catalog.errors import CatalogError, Problem, display_path
from catalog.messages import bad_value_message, explain_yaml_error, validation_message
from catalog.model import Paper, validate_paper
from catalog.source import Source
from catalog.taxonomy import Taxonomy, default_taxonomy

MAX_FILE_BYTES = 64 * 1024  # a paper entry is ~1 KiB; anything this big is a mistake or an attack

if TYPE_CHECKING:  # the C loader has the same interface; the stubs know the Python one
    _BaseLoader = yaml.SafeLoader
else:
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
C_LOADER_AVAILABLE = _BaseLoader is not yaml.SafeLoader


ALIAS_MESSAGE = "YAML anchors and aliases are not allowed in paper files"


def _first_alias_line(text: str) -> int | None:
    """The line of the first ``*alias`` (the composed node only knows where its anchor is).

    Only called once a document has been refused; parsing events never expands aliases.
    """
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
                return event.start_mark.line + 1
    except yaml.YAMLError:
        pass
    return None


class _DataError(Exception):
    """A problem found while constructing the YAML document (not a syntax error)."""

    def __init__(self, line: int, field: str, message: str):
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


class _StrictLoader(_BaseLoader):
    """Safe loader that rejects aliases, duplicate keys and non-string keys."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._seen: set[int] = set()  # ids of the nodes built so far (all alive while building)

    def build(self, node: Node) -> Any:
        """The plain data of ``node``, exactly what SafeConstructor would give.

        Plain strings, lists and mappings (nearly every node of a paper file) are built directly:
        the generic constructor's bookkeeping cost more than all the validation. Any other tag
        goes through ``construct_object`` (and its alias check) as before.
        """
        if id(node) in self._seen:
            # A node met twice is an alias (or a recursive structure): refuse instead of expanding.
            raise _DataError(node.start_mark.line + 1, "-", ALIAS_MESSAGE)
        kind, tag = type(node), node.tag
        if kind is ScalarNode and tag == _STR_TAG:
            self._seen.add(id(node))
            return node.value
        if kind is MappingNode and tag == _MAP_TAG:
            self._seen.add(id(node))
            return self.construct_mapping(node)
        if kind is SequenceNode and tag == _SEQ_TAG:
            self._seen.add(id(node))
            return [self.build(item) for item in node.value]
        return self.construct_object(node, deep=True)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if id(node) in self._seen or node in self.constructed_objects or node in self.recursive_objects:
            raise _DataError(node.start_mark.line + 1, "-", ALIAS_MESSAGE)
        self._seen.add(id(node))
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Hashable, Any]:
        if not isinstance(node, MappingNode):
            raise _DataError(node.start_mark.line + 1, "-", f"expected a mapping, found {getattr(node, 'id', 'a node')}")
        mapping: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode or key_node.tag != _STR_TAG:
                line = key_node.start_mark.line + 1
                raise _DataError(
                    line, "-", f"keys must be plain strings, found {key_node.tag.rsplit(':', 1)[-1]} {getattr(key_node, 'value', '')!r}"
                )
            key = key_node.value
            if key in mapping:
                raise _DataError(key_node.start_mark.line + 1, key, f"duplicate key {key!r}")
            try:
                mapping[key] = self.build(value_node)
            except ValueError as exc:  # a scalar the constructor cannot build, e.g. the date 2024-13-01
                message = bad_value_message(str(getattr(value_node, "value", "")), exc)
                raise _DataError(value_node.start_mark.line + 1, key, message) from exc
        return mapping


def _node_lines(node: MappingNode) -> dict[str, int]:
    """Lines of the top-level keys and of the items of list fields (``code.0``, ``code.0.url``)."""
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        lines[key] = key_node.start_mark.line + 1
        if isinstance(value_node, SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[f"{key}.{i}"] = item.start_mark.line + 1
                if isinstance(item, MappingNode):
                    for k, _v in item.value:
                        lines[f"{key}.{i}.{k.value}"] = k.start_mark.line + 1
        elif isinstance(value_node, MappingNode):
            for k, _v in value_node.value:
                lines[f"{key}.{k.value}"] = k.start_mark.line + 1
    return lines


def _line_for_loc(root: Node, loc: tuple[Any, ...]) -> int:
    """Follow a pydantic error location through the YAML node tree to the most precise line."""
    node, line = root, root.start_mark.line + 1
    for part in loc:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    line = key_node.start_mark.line + 1 if not isinstance(value_node, ScalarNode) else value_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _field(loc: tuple[Any, ...]) -> str:
    # pydantic puts validator names like "function-after[...]" into some locations; drop them.
    return ".".join(str(p) for p in loc if not (isinstance(p, str) and "[" in p)) or "-"


def _message(err: Mapping[str, Any]) -> str:
    return validation_message(err)


def parse_paper_text(text: str, path: str, taxonomy: Taxonomy | None = None) -> tuple[Paper | None, Source | None, list[Problem]]:
    """Parse and validate one paper document against ``taxonomy`` (default: the project's); ``path`` is only used in messages."""
    problems: list[Problem] = []
    if not text.strip():
        return None, None, [Problem(path, 0, "-", "file is empty")]
    loader = _StrictLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None, [Problem(path, 0, "-", "file holds no YAML document")]
        if not isinstance(root, MappingNode):
            kind = {"SequenceNode": "a list", "ScalarNode": "a single value"}.get(type(root).__name__, "not a mapping")
            return None, None, [Problem(path, root.start_mark.line + 1, "-", f"a paper file must be a mapping of fields, found {kind}")]
        data = loader.build(root)
    except _DataError as exc:
        line = (_first_alias_line(text) or exc.line) if exc.message == ALIAS_MESSAGE else exc.line
        return None, None, [Problem(path, line, exc.field, exc.message)]
    except ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        tag = str(exc.problem or "").split("tag ")[-1].strip("'")
        message = (
            f"tag {tag} is not allowed (only plain YAML values)" if "constructor for the tag" in str(exc.problem) else str(exc.problem)
        )
        return None, None, [Problem(path, line, "-", message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        if exc.context == "expected a single document in the stream":
            return None, None, [Problem(path, line, "-", "a paper file holds exactly one YAML document; found a second one ('---')")]
        line, message = explain_yaml_error(text, exc)
        return None, None, [Problem(path, line, "-", message)]
    except ReaderError as exc:
        # The reader reports a byte offset; finding the character itself gives the right line.
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)[:1]
        at = text.find(char) if char else -1
        line = text.count("\n", 0, at) + 1 if at >= 0 else 0
        shown = f"U+{ord(char):04X}" if char else "a character"
        return None, None, [Problem(path, line, "-", f"{shown} is not allowed in YAML ({exc.reason})")]
    except yaml.YAMLError as exc:
        return None, None, [Problem(path, 0, "-", f"YAML error: {exc}")]
    except RecursionError:
        return None, None, [Problem(path, 0, "-", "YAML nesting is too deep")]
    finally:
        loader.dispose()

    try:
        paper = validate_paper(data, taxonomy or default_taxonomy())
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            if loc[:1] == ("arxiv",) and "arxiv" not in data:
                loc = ("url",)  # the id was taken from the arXiv paper URL: point there
            problems.append(Problem(path, _line_for_loc(root, loc), _field(loc), _message(err)))
        return None, None, problems
    return paper, Source(path=path, lines=MappingProxyType(_node_lines(root))), problems


def read_paper_file(
    path: Path, shown: str | None = None, taxonomy: Taxonomy | None = None
) -> tuple[Paper | None, Source | None, list[Problem]]:
    """Read, parse and validate one ``papers/<id>.yaml`` file, checking its id against its name.

    ``shown`` is the path to print in messages (default: ``display_path(path)``).
    """
    shown = shown or display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, None, [Problem(shown, 0, "-", f"file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit for one paper")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, None, [Problem(shown, 0, "-", f"cannot read file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, None, [Problem(shown, line, "-", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})")]
    text = text.removeprefix("\ufeff")
    paper, source, problems = parse_paper_text(text, shown, taxonomy)
    if paper is not None and paper.id != path.stem:
        problems.append(
            Problem(shown, source.line_of("id") if source else 1, "id", f"id {paper.id!r} must equal the file name {path.stem!r}")
        )
        return None, None, problems
    return paper, source, problems


def paper_files(paths: Iterable[Path]) -> list[Path]:
    """The paper files named by ``paths``: files as given, folders expanded to their ``*.yaml``."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            # scandir knows file types without a stat per file; names sort as the paths would.
            try:
                with os.scandir(p) as entries:
                    names = sorted(e.name for e in entries if os.path.splitext(e.name)[1] in (".yaml", ".yml") and e.is_file())
            except OSError as exc:
                raise CatalogError([Problem(display_path(p), 0, "-", f"cannot read folder: {exc.strerror or exc}")]) from exc
            files.extend(p / name for name in names)
        else:
            files.append(p)
    return files


def load_papers(paths: Iterable[Path], taxonomy: Taxonomy | None = None) -> tuple[list[tuple[Paper, Source]], list[Problem]]:
    """Load every paper file under ``paths``; returns the valid papers and all problems found."""
    loaded: list[tuple[Paper, Source]] = []
    problems: list[Problem] = []
    shown_dirs: dict[Path, str] = {}  # resolving every file's path costs more than parsing it
    for f in paper_files(paths):
        if f.parent not in shown_dirs:
            shown_dirs[f.parent] = display_path(f.parent)
        shown = f.name if shown_dirs[f.parent] == "." else os.path.join(shown_dirs[f.parent], f.name)
        if f.suffix == ".yml":
            problems.append(Problem(shown, 0, "-", "paper files must end in .yaml"))
            continue
        paper, source, found = read_paper_file(f, shown, taxonomy)
        problems.extend(found)
        if paper is not None and source is not None:
            loaded.append((paper, source))
    return loaded, problems


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading.

    Loading allocates hundreds of thousands of small, acyclic, long-lived objects; each of them
    counts towards the collector's thresholds, so it runs full passes over the growing heap that
    find nothing to free (about a tenth of the load time at 10,000 papers). Reference counting
    still frees everything as usual; the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_catalog(*paths: Path | str, taxonomy: Taxonomy | None = None) -> Catalog:
    """Load and validate the catalog under ``paths`` (default ``papers/``) against ``taxonomy`` (default: the project's).

    Raises :class:`CatalogError` carrying every error; warnings ride on the returned Catalog.
    """
    roots = [Path(p) for p in paths] or [Path("papers")]
    for root in roots:
        if not root.exists():
            raise CatalogError([Problem(str(root), 0, "-", "no such file or folder")])
    with _gc_paused():
        tax = taxonomy or default_taxonomy()
        loaded, problems = load_papers(roots, tax)
        problems.extend(cross_checks(loaded, tax))
    if any(p.severity == "error" for p in problems):
        raise CatalogError(problems)
    return Catalog.build(loaded, warnings=problems, taxonomy=tax)
