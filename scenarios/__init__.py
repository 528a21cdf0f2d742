"""Bundled scenario files, usable by name (`jointtrack plan default`)."""

from importlib import resources
from pathlib import Path

import yaml


def bundled_path(name: str) -> Path | None:
    """Path of the bundled scenario `name` (with or without .yaml), or None."""
    stem = name.removesuffix(".yaml")
    candidate = resources.files("scenarios").joinpath(f"{stem}.yaml")
    return Path(str(candidate)) if candidate.is_file() else None


def bundled_names() -> list[str]:
    return sorted(
        p.name.removesuffix(".yaml") for p in resources.files("scenarios").iterdir() if p.name.endswith(".yaml")
    )


def describe(name: str) -> str:
    """The scenario's one-line `description`."""
    path = bundled_path(name)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path else {}
    return str((data or {}).get("description", "")).strip().splitlines()[0] if data else ""
