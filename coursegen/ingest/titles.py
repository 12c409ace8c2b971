"""Episode titles a learner can read, taken from the source itself and never invented.

A title is what every citation shows as its source. Files often have none: an LLM-written
analysis header describes the episode in a sentence instead ("The episode focuses on a
discussion with …"), and a bare transcript leaves only its file name ("003_9859fa03d6cc2246").
"""

from __future__ import annotations

import re

MAX_TITLE_CHARS = 120

# "The episode focuses on", "This conversation is about", "The podcast features": the lead-in
# of a sentence that describes an episode; what follows it names the episode.
_ABOUT_EPISODE = re.compile(
    r"^(?:the|this)\s+(?:episode|conversation|discussion|podcast|interview|video|talk|show|session)"
    r"\s+(?:mainly\s+|mostly\s+|primarily\s+|largely\s+)?"
    r"(?:focus(?:s|es)\s+on|cent(?:er|re)s\s+(?:on|around)|is\s+about|covers|features|explores"
    r"|discusses|examines|presents|is)\s+(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# "A discussion with X about Y" names the people and the topic: as a title, "X on Y".
_TALK_WITH = re.compile(
    r"^an?\s+(?:discussion|conversation|chat|interview|talk|dialogue)\s+(?:with|between)\s+"
    r"(?P<who>\S.*?)\s+about\s+(?P<what>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+")
# A content hash in a file name: 8+ hex digits with at least one digit and one letter.
_HASH = re.compile(r"^(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}$", re.IGNORECASE)
_STEM_PARTS = re.compile(r"[\s_.-]+")


def title_from_description(sentence: str) -> str | None:
    """The title a sentence describing the episode gives ("The episode covers the history of X."
    → "The history of X"; "… focuses on a discussion with X about Y." → "X on Y"), or None when
    the sentence does not describe the episode."""
    text = " ".join(_BULLET.sub("", sentence).split())
    match = _ABOUT_EPISODE.match(text)
    if not match:
        return None
    title = match.group("rest").rstrip(" .;:")
    talk = _TALK_WITH.match(title)
    if talk:
        title = f"{talk.group('who')} on {talk.group('what')}"
    if len(title) > MAX_TITLE_CHARS:
        cut = title[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
        title = cut + "…"
    if len(title.split()) < 2:
        return None
    return title[0].upper() + title[1:]


def title_from_stem(stem: str, speakers: list[str]) -> str:
    """A file name as a title: an episode number, alone or with a content hash, reads "Episode 003"
    (with the speakers when the source names them); any other name is kept as it is."""
    parts = [part for part in _STEM_PARTS.split(stem) if part]
    kept = [part for part in parts if not _HASH.match(part)]
    # One number: "003", "003_<hash>". Several ("2024-05-01") or words ("ep_12") stay as they are.
    if len(kept) != 1 or not kept[0].isdigit():
        return stem
    title = f"Episode {kept[0]}"
    if speakers:
        names = speakers[:3]
        title += " with " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
    return title
