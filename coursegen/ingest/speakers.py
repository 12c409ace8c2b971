"""The speaker map: `[speakers.<episode-id>]` tables in coursegen.toml (label → name)."""

from __future__ import annotations

from pathlib import Path

from coursegen.config_file import read_config_file
from coursegen.errors import ConfigError

SpeakerMap = dict[str, dict[str, str]]


def load_speaker_map(config_path: Path, *, required: bool = False) -> SpeakerMap:
    """Read `[speakers.<episode>]` tables; a missing file means no map unless `required`."""
    data = read_config_file(config_path, required=required)
    return parse_speaker_map(data.get("speakers", {}), str(config_path))


def parse_speaker_map(table: object, origin: str) -> SpeakerMap:
    """Validate the `speakers` table: every episode maps label strings to name strings."""
    if not isinstance(table, dict):
        raise ConfigError(f"{origin}: speakers must be a table of episode tables")
    result: SpeakerMap = {}
    for episode_id, labels in sorted(table.items()):
        if not isinstance(labels, dict) or not all(
            isinstance(label, str) and isinstance(name, str) and name.strip()
            for label, name in labels.items()
        ):
            raise ConfigError(
                f"{origin}: table speakers.{episode_id} must map labels to names",
                f'write a table speakers.{episode_id} with lines like "Speaker 1" = "Ada Lovelace"',
            )
        result[str(episode_id)] = {label: name.strip() for label, name in labels.items()}
    return result
