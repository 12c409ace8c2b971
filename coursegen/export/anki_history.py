"""What the previous package in the decks folder tells the next build.

Anki decides on import by note GUID and modification time, and never moves or deletes a
learner's cards. So the next package must be newer than the last, keep the positions of cards
the learner already has, and ship the notes that left the course once more, tagged
`coursegen::retired` (placed after the course's cards, and suspended for an import with
scheduling), so learners can find them.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from coursegen.export.anki_models import BASIC_MODEL, CLOZE_MODEL, RETIRED_TAG

_FIELD_SEPARATOR = "\x1f"
# The zip comment of a package names the course it was made from (Anki ignores zip comments).
_STAMP_PREFIX = b"coursegen course "


def package_stamp(fingerprint: str) -> bytes:
    """The zip comment recording which course (course_io.course_fingerprint) a package holds."""
    return _STAMP_PREFIX + fingerprint.encode("ascii")


@dataclass(frozen=True)
class PreviousNote:
    """One note as the previous package shipped it."""

    guid: str
    model_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    position: int


@dataclass
class PreviousPackage:
    """The previous package's timestamp and notes (empty when there is none or it is unreadable)."""

    timestamp: int | None = None
    notes: dict[str, PreviousNote] = field(default_factory=dict)
    # The fingerprint of the course it was made from (None for packages of older versions).
    course: str | None = None

    @property
    def positions(self) -> dict[str, int]:
        """Note GUID → new-card position."""
        return {guid: note.position for guid, note in self.notes.items()}


def read_previous(path: Path) -> PreviousPackage:
    """Read `path` if it is a package; any problem means "no previous package", never an error."""
    if not path.is_file():
        return PreviousPackage()
    try:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
            comment = archive.comment
            db_path = Path(tmp) / "collection.anki2"
            db_path.write_bytes(archive.read("collection.anki2"))
            conn = sqlite3.connect(db_path)
            try:
                rows = conn.execute(
                    "SELECT n.guid, n.mid, n.flds, n.tags, n.mod, min(c.due) FROM notes n "
                    "JOIN cards c ON c.nid = n.id GROUP BY n.id ORDER BY n.guid"
                ).fetchall()
            finally:
                conn.close()
    except (OSError, KeyError, zipfile.BadZipFile, sqlite3.DatabaseError):
        return PreviousPackage()
    previous = PreviousPackage()
    if comment.startswith(_STAMP_PREFIX):
        previous.course = comment[len(_STAMP_PREFIX) :].decode("ascii", "replace")
    for guid, mid, flds, tags, mod, due in rows:
        previous.notes[str(guid)] = PreviousNote(
            str(guid), int(mid), tuple(str(flds).split(_FIELD_SEPARATOR)), tuple(str(tags).split()), int(due)
        )
        previous.timestamp = max(previous.timestamp or 0, int(mod))
    return previous


def retired_notes(
    previous: PreviousPackage, current_guids: set[str], again: bool = False, after: int = 0
) -> list[genanki.Note]:
    """Notes the previous package had and the course no longer has, shipped once more.

    Each gets the retired tag, suspended cards and a new-card position after `after` (the last
    of the course's cards). Both only affect a learner importing the package fresh (Anki keeps
    an existing learner's scheduling), and the suspension only an import with scheduling
    (Anki's "Import any learning progress"); a plain import meets them last. Notes already
    tagged retired were shipped once and are now dropped, unless `again` (the previous package is
    of this very course: the same course gives the same package).
    """
    models = {BASIC_MODEL.model_id: BASIC_MODEL, CLOZE_MODEL.model_id: CLOZE_MODEL}
    notes: list[genanki.Note] = []
    for guid, old in sorted(previous.notes.items()):
        model = models.get(old.model_id)
        if guid in current_guids or (RETIRED_TAG in old.tags and not again) or model is None:
            continue
        if len(old.fields) != len(model.fields):
            continue
        note = genanki.Note(model=model, fields=list(old.fields), tags=sorted({*old.tags, RETIRED_TAG}),
                            guid=guid, due=after + len(notes) + 1)
        for card in note.cards:
            card.suspend = True
        notes.append(note)
    return notes
