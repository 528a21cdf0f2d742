"""Docs that cannot drift: every "README: X" and "docs/design.md: X" in code and docs names a heading
that exists, and every file path named in README, docs/design.md, docstrings and comments exists."""

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from tests.conftest import REPO

DOCS = {"README": REPO / "README.md", "docs/design.md": REPO / "docs" / "design.md"}
SOURCES = sorted(
    p
    for folder in ("scheduler", "stations", "scenarios", "benchmarks", "tests", "docs")
    for p in (REPO / folder).rglob("*.py")
)
FILES = sorted(
    str(p.relative_to(REPO)) for p in REPO.rglob("*") if p.is_file() and not {".git", ".venv"} & set(p.parts)
)

# "README: Python API", "(docs/design.md: Command line, Exit codes)"
SECTION = re.compile(r"\b(README|docs/design\.md): ([A-Z][^;()\"\n]*?)(?=[);\n]|\. |\.$|$)")
PATH = re.compile(r"(?<![\w./-])((?:[\w.-]+/)+[\w-]+\.(?:py|md|yaml|csv|xsd|toml|json|oem)|[\w-]+\.py)(?![\w/])")


def prose(path: Path) -> str:
    """What a reader reads: a Markdown file whole; of Python, its docstrings and comments."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return text
    parts = [
        ast.get_docstring(node, clean=False) or ""
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    parts += [token.string for token in tokens if token.type == tokenize.COMMENT]
    return "\n".join(parts)


TEXTS = {str(path.relative_to(REPO)): prose(path) for path in [*DOCS.values(), *SOURCES]}


def headings() -> dict[str, set[str]]:
    """Each document's headings, without their `#`s, also without a trailing "(…)"."""
    found: dict[str, set[str]] = {}
    for name, path in DOCS.items():
        titles = {m.group(1).strip() for m in re.finditer(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.M)}
        found[name] = titles | {re.sub(r"\s*\(.*\)$", "", t) for t in titles}
    return found


def section_references() -> list[tuple[str, str, str]]:
    """(where, document, heading) of every section reference."""
    found = []
    for where, text in TEXTS.items():
        text = re.sub(r"\s*\n\s*(#\s*)?", " ", text)  # references broken over lines
        for match in SECTION.finditer(text):
            for name in re.split(r",\s*", match.group(2).strip().rstrip(".")):
                found.append((where, match.group(1), name.strip().strip("`")))
    return found


def path_references() -> list[tuple[str, str]]:
    """(where, path) of every file path named in README, docs/design.md, docstrings and comments:
    paths with a folder, and bare Python module names."""
    return [(where, m.group(1)) for where, text in TEXTS.items() for m in PATH.finditer(text)]


OUTPUTS = {
    "solution.json",
    "summary.json",
    "schedule.csv",
    "diff.csv",
    "bound.json",
}  # files our runs write, named in examples


def resolves(named: str) -> bool:
    """A path resolves when some file of the tree ends with it (at a folder boundary), or names an
    output file of a run in an example (`w10/solution.json`)."""
    return Path(named).name in OUTPUTS or any(f == named or f.endswith("/" + named) for f in FILES)


def test_every_section_reference_names_an_existing_heading() -> None:
    known = headings()
    broken = [
        f"{where}: {document}: {name}" for where, document, name in section_references() if name not in known[document]
    ]
    assert broken == []


def test_every_named_path_exists() -> None:
    broken = sorted({f"{where}: {named}" for where, named in path_references() if not resolves(named)})
    assert broken == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see (README: Python API).", [("README", "Python API")]),
        (
            "docs/design.md: Command line, Exit codes)",
            [("docs/design.md", "Command line"), ("docs/design.md", "Exit codes")],
        ),
    ],
)
def test_the_reference_pattern_reads_what_we_write(text: str, expected: list[tuple[str, str]]) -> None:
    found = [(m.group(1), n.strip()) for m in SECTION.finditer(text) for n in re.split(r",\s*", m.group(2))]
    assert found == expected


def test_a_missing_path_is_found() -> None:
    assert not resolves("scheduler/solvers/entry" + ".py")
    assert resolves("solvers/cpsat/model.py")
