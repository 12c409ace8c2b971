"""coursegen.toml: one lookup rule and one reader for every table ([llm], [course], [overrides], [speakers]).

The rule, for every command: `--config FILE` when given, else `OUT/coursegen.toml` when the
command has a course folder (`build --out OUT`, `batch import --out OUT`, `config --out OUT`) and
that file exists, else `./coursegen.toml`. A missing file found by the rule means "no settings";
a missing `--config FILE` is an error.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any

from coursegen.errors import ConfigError

CONFIG_FILE_NAME = "coursegen.toml"
# The top-level tables coursegen.toml may hold, each read by its own module.
TABLES = ("course", "episodes", "llm", "overrides", "speakers")


def find_config_file(
    out_dir: Path | None = None, explicit: Path | None = None, cwd: Path | None = None
) -> Path:
    """explicit > OUT_DIR/coursegen.toml (when it exists) > ./coursegen.toml; the result may not exist."""
    if explicit is not None:
        return Path(explicit)
    if out_dir is not None:
        beside_course = Path(out_dir) / CONFIG_FILE_NAME
        if beside_course.is_file():
            return beside_course
    return (cwd or Path.cwd()) / CONFIG_FILE_NAME


def read_config_file(path: Path, *, required: bool = False) -> dict[str, Any]:
    """The parsed TOML of `path`; a missing file is {} unless `required` (an explicit --config)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        if not required:
            return {}
        raise ConfigError(f"{path}: file not found", "check the --config path") from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"{path}: is a folder, not a TOML file", "pass the coursegen.toml file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}", "fix the syntax shown above") from exc
    # Each table's reader rejects its unknown keys; a misspelt table ("[speaker.ep1]") would
    # otherwise be ignored without a word, and the settings in it silently lost.
    unknown = sorted(set(data) - set(TABLES))
    if unknown:
        close = difflib.get_close_matches(unknown[0], TABLES, n=1)
        hint = f"did you mean [{close[0]}]? " if close else ""
        raise ConfigError(
            f"{path}: unknown table or key {', '.join(unknown)}",
            f"{hint}coursegen.toml has the tables {', '.join(f'[{t}]' for t in TABLES)} (docs/config.md)",
        )
    return data
