"""Reading YAML input files safely: size and encoding checked, timestamps kept as text, one-line errors."""

from pathlib import Path

import yaml

from scheduler.errors import InputError

MAX_FILE_BYTES = 50_000_000


class _TextTimesLoader(yaml.SafeLoader):
    """Safe YAML that leaves timestamps as text, so that time validation names the field."""


_TextTimesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(text: str) -> object:
    """Parse YAML safely, timestamps kept as strings."""
    return yaml.load(text, Loader=_TextTimesLoader)  # a SafeLoader subclass: safe


def read_input_text(path: str | Path, kind: str) -> str:
    """The UTF-8 text of a scenario or event file (`kind`), or an InputError naming it."""
    file = Path(path)
    if not file.is_file():
        raise InputError(str(path), "", f"no such {kind} file", f"give the path of a {kind} YAML file")
    if file.stat().st_size > MAX_FILE_BYTES:
        raise InputError(str(path), "", "file is larger than 50 MB", f"split the {kind}")
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), "", "not UTF-8 text", f"save the {kind} as UTF-8 YAML") from None


def parse_yaml(text: str, source: str) -> dict:
    """The mapping at the top of a YAML text, or an InputError naming `source`."""
    try:
        data = read_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise InputError(
            source, where, f"YAML syntax error: {problem}", "fix the YAML syntax (indentation, colons, quotes)"
        ) from None
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
