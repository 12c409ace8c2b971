"""Ingestion: transcript files in any supported format → Episodes (the public API).

`ingest_paths` is what the pipeline and the CLI call: it walks folders, ingests every
file, and collects one InputError per bad file so one bad file never loses the others.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coursegen.errors import InputError
from coursegen.fsutil import sha256_bytes, slugify
from coursegen.ingest.assemble import assemble
from coursegen.ingest.clean import wordset
from coursegen.ingest.detect import choose_parser, decode, source_lines
from coursegen.ir import Episode

MAX_FILE_BYTES = 64 * 1024 * 1024
# Files a folder walk skips silently: they are never transcripts.
SKIPPED_SUFFIXES = wordset(
    ".apkg .toml .py .pyc .zip .gz .tar .7z .png .jpg .jpeg .gif .webp .svg .pdf .mp3 .mp4 "
    ".m4a .wav .ogg .opus .flac .webm .mkv .mov .avi .db .sqlite .exe .so .dll .ds_store "
    # Office documents and tables: an instructor's slides, show notes or a spreadsheet of
    # episodes beside the transcripts, read as plain text they became one-line "episodes".
    ".doc .docx .odt .rtf .pages .ppt .pptx .odp .key .xls .xlsx .ods .numbers .csv .tsv .epub"
)
# A folder's own notes about itself (README.md, LICENSE): never a recording's words, whatever
# their suffix; compared on the name without its suffix, case folded.
PROJECT_NOTE_STEMS = wordset("readme license licence changelog contributing authors notice copying")
# Skipped without a note: coursegen's own files and tooling beside the transcripts (a course's
# coursegen.toml, its deck), not material a user may have meant as a source.
QUIET_SUFFIXES = wordset(".apkg .toml .py .pyc .db .sqlite .exe .so .dll .ds_store")

__all__ = [
    "IngestReport",
    "ignored_note",
    "MAX_FILE_BYTES",
    "episode_ids",
    "ingest_file",
    "ingest_paths",
    "source_lines",
]


@dataclass
class IngestReport:
    """Episodes ingested (sorted by id) and one error per file that could not be."""

    episodes: list[Episode] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    # Files in the folders given that no transcript format has (media, images, PDFs), left out.
    ignored: list[Path] = field(default_factory=list)


def ingest_file(
    path: Path,
    episode_id: str | None = None,
    speaker_names: Mapping[str, str] | None = None,
) -> Episode:
    """Read, detect, parse and assemble one transcript file; raise InputError on bad input."""
    path = Path(path)
    shown = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            # A device or pipe could never end (/dev/zero) or block forever (a FIFO).
            raise InputError(shown, "not a regular file (a device, pipe or socket)")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                shown,
                f"file is {size / 1024 / 1024:.1f} MB, over the {MAX_FILE_BYTES // 1024 // 1024} MB limit",
                "split the transcript into smaller files",
            )
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise InputError(shown, "is a folder, not a file") from exc
    except FileNotFoundError as exc:
        raise InputError(shown, "no such file or folder") from exc
    except OSError as exc:
        raise InputError(shown, f"cannot read ({exc.strerror or exc})") from exc
    text = decode(data, shown)
    if not _has_letters(text):
        raise InputError(shown, "no transcript text (only timestamps, numbers or markup)")
    parser = choose_parser(text, path)
    parsed = parser.parse(text, path)
    episode = assemble(
        parsed,
        episode_id=episode_id or slugify(path.stem, fallback="episode"),
        source=shown,
        sha256=sha256_bytes(data),
        default_title=path.stem,
        speaker_names=speaker_names,
    )
    if not episode.passages:
        raise InputError(
            shown,
            f"no transcript text found (read as {parser.name}: only timestamps, markup or headers)",
        )
    return episode


_MARKUP = re.compile(r"<[^<>\n]*>")


def _has_letters(text: str) -> bool:
    """Whether any letter remains once markup tags are removed (timestamps have none)."""
    return any(char.isalpha() for char in _MARKUP.sub("", text))


def _walk(folder: Path, errors: list[InputError], ignored: list[Path] | None = None) -> list[Path]:
    """Transcript-like files under `folder`, sorted; hidden entries and symlinked folders skipped,
    files of a non-transcript kind (SKIPPED_SUFFIXES) added to `ignored`.

    Unreadable sub-folders become errors; entries that vanish while we walk are ignored.
    """

    def unreadable(exc: OSError) -> None:
        if not isinstance(exc, FileNotFoundError):
            errors.append(InputError(str(exc.filename or folder), f"cannot read folder ({exc.strerror})"))

    found: list[Path] = []
    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in names:
            candidate = Path(root) / name
            if name.startswith("."):
                continue
            suffix = candidate.suffix.lower()
            if suffix in SKIPPED_SUFFIXES or _is_project_note(candidate):
                if ignored is not None and suffix not in QUIET_SUFFIXES and candidate.is_file():
                    ignored.append(candidate)
                continue
            if candidate.is_file():
                found.append(candidate)
    return sorted(found)


def _is_project_note(path: Path) -> bool:
    return path.stem.lower() in PROJECT_NOTE_STEMS


def collect_files(
    paths: Sequence[Path], ignored: list[Path] | None = None
) -> tuple[list[Path], list[InputError]]:
    """Files named directly plus transcript-like files under folders (recursive, no hidden); the
    folders' files of a non-transcript kind go to `ignored`."""
    files: list[Path] = []
    errors: list[InputError] = []
    for given in paths:
        given = Path(given)
        if given.is_dir():
            found = _walk(given, errors, ignored)
            if not found:
                errors.append(InputError(str(given), "folder holds no transcript files"))
            files.extend(found)
        else:
            files.append(given)
    unique: dict[Path, None] = {}
    for file in files:
        unique.setdefault(file, None)
    return list(unique), errors


def episode_ids(files: Sequence[Path]) -> dict[Path, str]:
    """Episode id per file: slug of the stem; files sharing a stem get their extension added."""
    stems: dict[str, list[Path]] = {}
    for file in files:
        stems.setdefault(slugify(file.stem, fallback="episode"), []).append(file)
    ids: dict[Path, str] = {}
    used: set[str] = set()
    for stem, group in sorted(stems.items()):
        for file in sorted(group):
            base = stem if len(group) == 1 else slugify(f"{stem}-{file.suffix.lstrip('.')}", fallback=stem)
            candidate, counter = base, 2
            while candidate in used:
                candidate, counter = f"{base}-{counter}", counter + 1
            used.add(candidate)
            ids[file] = candidate
    return ids


# How one file becomes an episode: (path, episode id, speaker names or None) -> Episode.
FileParser = Callable[[Path, str, Mapping[str, str] | None], Episode]


def ingest_paths(
    paths: Sequence[Path],
    speaker_map: Mapping[str, Mapping[str, str]] | None = None,
    parse_file: FileParser | None = None,
) -> IngestReport:
    """Ingest files and folders; bad files become errors in the report, never exceptions.

    `parse_file` replaces `ingest_file` for each file (the build passes a cached one).
    """
    parse = parse_file or ingest_file
    ignored: list[Path] = []
    files, errors = collect_files(paths, ignored)
    ids = episode_ids(files)
    episodes: list[Episode] = []
    for file in files:
        episode_id = ids[file]
        try:
            episodes.append(parse(file, episode_id, (speaker_map or {}).get(episode_id)))
        except InputError as exc:
            errors.append(exc)
        except Exception as exc:
            # A parser bug on one odd file must not lose the rest of the run; --debug shows it.
            if os.environ.get("COURSEGEN_DEBUG") == "1":
                raise
            errors.append(
                InputError(
                    str(file),
                    f"could not be parsed ({type(exc).__name__}: {exc})",
                    "a coursegen bug: please report it with the file; COURSEGEN_DEBUG=1 shows the traceback",
                )
            )
    episodes.sort(key=lambda episode: episode.id)
    return IngestReport(episodes=episodes, errors=errors, ignored=sorted(ignored))


def ignored_note(ignored: Sequence[Path]) -> str | None:
    """ "left out 3 files that are no transcript: 2 .mp3, 1 .pdf" (None when there are none)."""
    if not ignored:
        return None
    kinds: dict[str, int] = {}
    for path in ignored:
        # A README is named as itself: "1 .md" would read as if every Markdown file were left out.
        kind = path.name if _is_project_note(path) else path.suffix.lower()
        kinds[kind] = kinds.get(kind, 0) + 1
    listed = ", ".join(f"{count} {suffix}" for suffix, count in sorted(kinds.items()))
    return f"left out {len(ignored)} file(s) that are no transcript: {listed}"
