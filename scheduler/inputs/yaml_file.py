"""Reading YAML input files safely: size, encoding and shape checked before anything is built,
timestamps kept as text, one-line errors.

Files are parsed by libyaml where PyYAML was built with it (about ten times faster than the
pure-Python parser). Before building anything, one pass over the parse events counts the
values the document holds *with every alias expanded* and how deep it nests: an alias bomb
(a few lines that expand to billions of values), a scenario too large to plan or nesting no
scenario needs is refused at once, in bounded time and memory.
"""

import gc
from pathlib import Path

import yaml

from scheduler.errors import InputError
from scheduler.inputs.paths import read_capped

MAX_FILE_BYTES = 50_000_000
MAX_VALUES = 300_000  # values after alias expansion: about 14,000 requests, planned or refused within 1 GiB
MAX_DEPTH = 32  # a scenario nests at most 5 deep (stations → station → horizon_mask → point → number)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built


class _TextTimesLoader(_Loader):  # type: ignore[misc, valid-type]
    """Safe YAML that leaves timestamps as text, so that time validation names the field, and
    refuses a key given twice in one mapping (YAML 1.2 forbids it; PyYAML would keep the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, object] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *defaults` may be overridden by the keys beside it
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node.start_mark)
            except TypeError:
                continue  # an unhashable key: the constructor below refuses it
            if first is not key_node.start_mark:
                raise _Refused(
                    f"key {key!r} is given twice in one mapping (first at {_where(first)})",
                    key_node.start_mark,
                    "keep one of them",
                )
        return super().construct_mapping(node, deep=deep)


_TextTimesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Refused(Exception):
    """The document's shape is refused: what is wrong, where (an event mark) and the fix."""

    def __init__(self, problem: str, mark: object, fix: str) -> None:
        super().__init__(problem)
        self.problem, self.mark, self.fix = problem, mark, fix


def check_shape(text: str, max_values: int = MAX_VALUES, max_depth: int = MAX_DEPTH) -> None:
    """Count the document's values (an alias counts as everything its anchor holds) and its depth
    from the parse events alone; raise `_Refused` past the limits, `yaml.YAMLError` on bad syntax."""
    sizes: dict[str, int] = {}  # anchor → values it holds
    open_anchors: list[tuple[str | None, int]] = []  # per open collection: its anchor, the count before it
    count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in sizes:
                raise _Refused(f"alias *{event.anchor} refers to a collection that holds it", event.start_mark, "")
            count += sizes[event.anchor]
        elif isinstance(event, yaml.ScalarEvent):
            count += 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            count += 1
            open_anchors.append((event.anchor, count))
            if len(open_anchors) > max_depth:
                raise _Refused(f"nested more than {max_depth} levels deep", event.start_mark, "flatten the file")
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, before = open_anchors.pop()
            if anchor is not None:
                sizes[anchor] = count - before + 1
        if count > max_values:
            raise _Refused(
                f"holds more than {max_values:,} values (aliases expanded)",
                event.start_mark,
                "split the file into smaller scenarios; do not nest aliases",
            )


def read_yaml(text: str) -> object:
    """Parse YAML safely, timestamps kept as strings (no shape check: see `parse_yaml`)."""
    paused = gc.isenabled()
    gc.disable()  # building many small containers triggers collections that find nothing to free
    try:
        return yaml.load(text, Loader=_TextTimesLoader)  # a SafeLoader subclass: safe
    finally:
        if paused:
            gc.enable()


def read_input_text(path: str | Path, kind: str) -> str:
    """The UTF-8 text of a scenario or event file (`kind`), or an InputError naming it."""
    data = read_capped(Path(path), str(path), f"{kind} file", MAX_FILE_BYTES, f"split the {kind}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), "", "not UTF-8 text", f"save the {kind} as UTF-8 YAML") from None


def _where(mark: object) -> str:
    line, column = getattr(mark, "line", None), getattr(mark, "column", None)
    return f"line {line + 1}, column {column + 1}" if line is not None and column is not None else ""


def parse_yaml(text: str, source: str) -> dict:
    """The mapping at the top of a YAML text, or an InputError naming `source`."""
    try:
        check_shape(text)
        data = read_yaml(text)
    except _Refused as refused:
        raise InputError(source, _where(refused.mark), refused.problem, refused.fix or "write the value out") from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "invalid YAML"
        fix = "flatten the file" if "nesting depth" in problem else "fix the YAML syntax (indentation, colons, quotes)"
        where = _where(getattr(exc, "problem_mark", None))
        raise InputError(source, where, f"YAML syntax error: {problem}", fix) from None
    if data is None:
        raise InputError(
            source, "", "the file is empty", "write a scenario with name, start, end, stations, targets, requests"
        )
    if not isinstance(data, dict):
        raise InputError(
            source,
            "",
            f"expected a mapping of keys, got {type(data).__name__}",
            "start the file with keys such as name:, start:, end:",
        )
    return data
