"""Whether a word, where a speaker put it, names a thing a learner could recall.

A cloze card should delete a thing ("{{c1::latency}}", "{{c1::experts}}"), not how a speaker
went on about it: a verb ("anything that {{c1::happens}} during training", "what {{c1::explains}}
it"), a comparison ("much {{c1::harder}} to deploy") or a word speech recognition made up
("{{c1::Enthropike}}" for Anthropic) tests the learner's memory of one sentence's wording. The
ending rules of `assessment` guess the word class from spelling; this module asks an English
dictionary which classes the word can have, and the word before it which one the speaker used.

The dictionary is lemminflect's lookup table (80,000 word forms with their classes and lemmas,
in its wheel: no download, no model). It is read straight from the file: importing lemminflect
itself loads numpy and its inflection models, which cost a build half a second for nothing.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import re
from pathlib import Path

from coursegen.engines.extractive.text import zipf
from coursegen.errors import CoursegenError

# After these a word that can be a verb is one ("to serve", "we train", "have stuck").
_VERB_CUE_LIST = """
    to will would can could should must might may shall i we you they he she it go let's
    don't doesn't didn't won't can't cannot couldn't wouldn't shouldn't have has had 've also just
"""
_VERB_CUES = frozenset(_VERB_CUE_LIST.split())
# An adverb before a word that can be a verb makes it one too ("directly convert", "rapidly
# adapt"); these end the same way and are no adverb of manner ("only experts").
_NOT_MANNER_LIST = "only early likely family daily weekly monthly yearly friendly supply apply reply"
_NOT_MANNER = frozenset(_NOT_MANNER_LIST.split())
_WORD_BEFORE = re.compile(r"([\w']+)\W*$")
_TABLE = Path("resources") / "lemma_lu.csv.gz"


class _Dictionary:
    """Word form → its classes (NOUN, VERB, ADJ, ADV, …), and the adjectives in base form."""

    def __init__(self, path: Path) -> None:
        # 70,000 word forms share 18 sets of classes: one frozenset per set, not per word, keeps
        # the table small (it is in every worker of the build).
        empty: frozenset[str] = frozenset()
        grown: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        classes: dict[str, frozenset[str]] = {}
        base_adjectives: set[str] = set()
        # Each line: word form, class, its lemmas ("harder,adj,hard"; "stores,noun,store").
        with gzip.open(path, "rt", encoding="utf-8") as table:
            for line in table:
                word, category, lemmas = line.rstrip("\n").split(",", 2)
                upos = "AUX" if category == "modal" else category.upper()
                known = classes.get(word, empty)
                if (known, upos) not in grown:
                    grown[known, upos] = known | {upos}
                classes[word] = grown[known, upos]
                if upos == "ADJ" and word in lemmas.split("/"):
                    base_adjectives.add(word)
        self.classes = classes
        self.base_adjectives = frozenset(base_adjectives)


@functools.cache
def _dictionary() -> _Dictionary:
    spec = importlib.util.find_spec("lemminflect")
    folders = list(spec.submodule_search_locations or []) if spec else []
    path = next((Path(f) / _TABLE for f in folders if (Path(f) / _TABLE).is_file()), None)
    if path is None:
        raise CoursegenError(
            "the English dictionary the extractive engine reads (lemminflect's) is not installed",
            tip="reinstall coursegen with its dependencies: .venv/bin/pip install -e .",
        )
    return _Dictionary(path)


def load_dictionary() -> None:
    """Read the dictionary now (about 0.1 s, 6 MB): called before the assessment's workers fork, so
    they share it instead of each reading it again."""
    _dictionary()


def _classes(word: str) -> frozenset[str]:
    """The word classes the dictionary knows for the word (empty when it knows none)."""
    table = _dictionary().classes
    return table.get(word) or table.get(word.lower()) or frozenset()


def names_a_thing(word: str, before: str = "") -> bool:
    """True when `word`, following the text `before`, can name a thing worth recalling.

    A noun is; a verb is not, nor a noun that the word before shows used as a verb ("to
    serve", "directly convert"); an adjective only in its base form and never a verb ("sparse",
    "dense": they sort one design from another; not "harder", "worse"). A word the dictionary
    does not know is kept when English text uses it ("parallelization", "async") or when it is
    written in lower case (a coinage of the field: "minibatch", "rmsprop"); a capitalized word
    neither knows is a name speech recognition made up ("Enthropike" for Anthropic) or one too
    rare to ask a learner for. A compound ("trade-offs") is judged by its last part.
    """
    head = word.rsplit("-", 1)[-1] if "-" in word.strip("-") else word
    classes = _classes(head)
    if not classes:
        return zipf(word) > 0 or word.islower()
    previous = _WORD_BEFORE.search(before)
    cue = previous.group(1).lower() if previous else ""
    adverb = cue.endswith("ly") and cue not in _NOT_MANNER
    used_as_verb = "VERB" in classes and (cue in _VERB_CUES or adverb)
    if "NOUN" in classes and not used_as_verb:
        return True
    return "ADJ" in classes and "VERB" not in classes and head.lower() in _dictionary().base_adjectives
