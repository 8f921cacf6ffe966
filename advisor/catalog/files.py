"""Catalog files: reading a YAML catalog file safely and validating its entries, for the seed and
import commands and the admin's entry form."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from pathlib import Path

import yaml
from marshmallow import ValidationError

from advisor.catalog.problems import Problem
from advisor.catalog.schemas import TechnologySchema, canonical
from advisor.engine.constraints import shown

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# A catalog file is a list of flat-ish mappings: an entry nests four levels deep (rules, a rule, its
# targets) and the seed catalog holds about 10,000 values. Past these it is not a catalog, and the
# aliases of a 450-byte file can stand for a billion values (an error message once printed them all).
MAX_DEPTH = 12
MAX_EXPANDED_VALUES = 1_000_000
MAX_PROBLEMS_PER_ENTRY = 10


class CatalogFileError(ValueError):
    """A catalog file that cannot be imported; `problems` lists each one with file, entry and field."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class CatalogLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a mapping that holds a key twice (PyYAML keeps the last one
    silently, so a typo'd copy of a field would win unseen). Merge keys (`<<: *base`) may still be
    overridden, as YAML means them to be."""

    def construct_mapping(self, node, deep=False):
        seen: set[str] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found the duplicate key {shown(key_node.value)!r}",
                    key_node.start_mark,
                )
            seen.add(key_node.value)
        return super().construct_mapping(node, deep)


def read_entries(path: Path | str, text: str | None = None) -> list[dict]:
    """Parse one YAML catalog file into raw mappings; structural problems raise CatalogFileError."""
    name = str(path)
    if text is None:
        raw_bytes = Path(path).read_bytes()
        if len(raw_bytes) > MAX_IMPORT_BYTES:
            raise CatalogFileError([Problem(name, f"larger than {MAX_IMPORT_BYTES} bytes")])
        text = raw_bytes.decode("utf-8", errors="strict")
    try:
        data = yaml.load(text, Loader=CatalogLoader)  # a SafeLoader subclass: safe
    except yaml.YAMLError as err:
        raise CatalogFileError([Problem(name, f"not valid YAML: {_yaml_problem(err)}")]) from None
    except RecursionError:
        raise CatalogFileError([Problem(name, "nested too deeply to be a catalog")]) from None
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise CatalogFileError([Problem(name, "expected a list of mappings, one per technology")])
    if _expanded_size(data) > MAX_EXPANDED_VALUES:
        too_many = (
            f"its aliases stand for more than {MAX_EXPANDED_VALUES:,} values; write the values out instead"
        )
        raise CatalogFileError([Problem(name, too_many)])
    problems = [
        Problem(name, what, number, _slug_label(raw), where)
        for number, raw in enumerate(data, start=1)
        for where, what in islice(_unsafe_values(raw), MAX_PROBLEMS_PER_ENTRY)
    ]
    if problems:
        raise CatalogFileError(problems)
    return data


def _yaml_problem(err: yaml.YAMLError) -> str:
    """PyYAML's problem on one line, with where it is (its own message quotes the lines around)."""
    mark = getattr(err, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{getattr(err, 'problem', None) or str(err).splitlines()[0]}{where}"


def _children(value) -> list:
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    return list(value) if isinstance(value, list) else []


def _expanded_size(data) -> int:
    """How many values `data` holds with every alias expanded, counted once per shared object (so in
    time linear in the file); a self-referencing alias counts as too many."""
    sizes: dict[int, int] = {}
    stack: list[tuple[object, bool]] = [(data, False)]
    while stack:
        value, children_done = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        if children_done:
            sizes[id(value)] = min(
                MAX_EXPANDED_VALUES + 1, 1 + sum(sizes.get(id(c), 1) for c in _children(value))
            )
        elif id(value) in sizes:
            if sizes[id(value)] < 0:  # met again while its own children are being counted
                return MAX_EXPANDED_VALUES + 1
        else:
            sizes[id(value)] = -1
            stack.append((value, True))
            stack.extend((c, False) for c in _children(value) if id(c) not in sizes or sizes[id(c)] < 0)
    return sizes.get(id(data), 1)


def _unsafe_values(entry: dict):
    """(field path, problem) for values nested past MAX_DEPTH and text holding a NUL character (which
    PostgreSQL refuses in text: it used to end the import in a traceback)."""
    stack: list[tuple[object, tuple, int]] = [(entry, (), 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            yield where, "nested too deeply"
        elif isinstance(value, str):
            if "\x00" in value:
                yield where, "contains a NUL character"
        elif isinstance(value, (dict, list)):
            items = value.items() if isinstance(value, dict) else enumerate(value, start=1)
            for key, sub in reversed(list(items)):
                label = shown(key) if isinstance(key, str) else key if isinstance(key, int) else str(key)
                if isinstance(key, str) and "\x00" in key:
                    yield where, "a key contains a NUL character"
                stack.append((sub, (*where, label), depth + 1))


def _slug_label(raw: dict) -> str:
    """The entry's slug for messages: the start of it (escaped when it holds a line break or another
    control character), or "?" when it is not text."""
    slug = raw.get("slug")
    if not isinstance(slug, str):
        return "?"
    return shown(slug) if slug.isprintable() else shown(repr(slug))


def validate_entries(sources: Iterable[tuple[str, list[dict]]], existing: dict[str, str]) -> list[dict]:
    """Validate entries from (file name, raw entries) pairs against each other and the database.

    `existing` maps slugs already in the database to their status. Returns canonical entries or
    raises CatalogFileError naming the file, the entry and the field of every problem.
    """
    schema = TechnologySchema()
    problems: list[Problem] = []
    entries: list[tuple[str, int, dict]] = []
    seen: dict[str, str] = {}
    for name, raw_entries in sources:
        for number, raw in enumerate(raw_entries, start=1):
            try:
                entry = schema.load(raw)
            except ValidationError as err:
                slug = _slug_label(raw)
                problems.extend(Problem(name, m, number, slug, path) for path, m in _messages(err.messages))
                continue
            if entry["slug"] in seen:
                duplicate = f"duplicate of an entry in {seen[entry['slug']]}"
                problems.append(Problem(name, duplicate, number, entry["slug"], ("slug",)))
                continue
            seen[entry["slug"]] = name
            entries.append((name, number, canonical(entry)))
    statuses = dict(existing)
    statuses.update({e["slug"]: e["status"] for _, _, e in entries})
    for name, number, entry in entries:
        named: list[tuple[tuple[str | int, ...], str]] = [
            (("rules", i, "targets"), t) for i, rule in enumerate(entry["rules"], 1) for t in rule["targets"]
        ]
        if entry["successor"] is not None:
            named.append((("successor",), entry["successor"]))
        for path, slug in named:
            message = _reference_problem(slug, entry, statuses)
            if message:
                problems.append(Problem(name, message, number, entry["slug"], path))
    if problems:
        raise CatalogFileError(problems)
    return [entry for _, _, entry in entries]


def _reference_problem(slug: str, entry: dict, statuses: dict[str, str]) -> str | None:
    """A slug an entry names (rule target, successor) must exist, and not be archived while the
    entry itself is listed."""
    if slug not in statuses:
        return f"unknown technology '{slug}'"
    if statuses[slug] == "archived" and entry["status"] != "archived":
        return f"'{slug}' is archived"
    return None


def _messages(messages, path: tuple = ()):
    """marshmallow's nested messages as (field path, message); list positions count from 1."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _messages(value, (*path, key + 1 if isinstance(key, int) else str(key)))
    elif isinstance(messages, list):
        for message in messages:
            if isinstance(message, (dict, list)):
                yield from _messages(message, path)
            else:
                yield path, str(message)
    else:
        yield path, str(messages)


def seed_files(directory: Path) -> list[tuple[str, list[dict]]]:
    return [(str(p.relative_to(directory.parent)), read_entries(p)) for p in sorted(directory.glob("*.yaml"))]
