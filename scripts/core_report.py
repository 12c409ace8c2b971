"""Count the lessons whose core quote says what its idea is or does, by one written-down rule.

Usage: python scripts/core_report.py build/course.json [--list | --anywhere]

A core "says what" when its quote, as the lesson shows it,

- names the concept as the subject of a verb saying what it is or does
  (speech.explains_score >= 3.0: "Gradient descent is ...", "The transformer learns ..."), or
  in a defining turn of phrase (defining.explains_idea >= 1.5: "X is a ...", "X, which ...",
  "what X does is ...", "X lets you ...", "with X you can ...", "without X you can't ..."), and
- is not a passing mention (defining.explains_idea >= 0: no price or count of X, no aside in a
  subordinate clause, no verdict such as "X is terrible", no garbled caption).

The rule is a proxy: it is a count to watch from build to build, not the acceptance test (a
person reading the cores is; see docs/build.md). It judges nothing else about the course.

`--anywhere` applies the same rule to every sentence of the course's episodes that names a
concept: how many concepts have at least one sentence that could be a core saying what they
are, whether or not the lesson shows it (what the extractive engine could quote at best).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from coursegen.engines.extractive.defining import explains_idea
from coursegen.engines.extractive.speech import explains_score

CORE_LEAD = "The core idea of "
SUBJECT_EXPLAINS = 3.0
DEFINING = 1.5


def says_what(quote: str, names_it: re.Pattern[str]) -> bool:
    """The rule above, for one core quote."""
    idea = explains_idea(quote, names_it)
    return idea >= 0 and (explains_score(quote, names_it) >= SUBJECT_EXPLAINS or idea >= DEFINING)


def _pattern(concept: dict) -> re.Pattern[str]:
    names = sorted({concept["name"], *concept.get("aliases", [])}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", re.I)


def cores(course: dict) -> list[tuple[str, str, str, bool]]:
    """(lesson title, concept name, core quote, says what) for every core block, in ramp order."""
    concepts = {c["id"]: c for c in course["concepts"]}
    by_name = {c["name"]: c for c in concepts.values()}
    found: list[tuple[str, str, str, bool]] = []
    for lesson in course["lessons"]:
        for block in lesson["blocks"]:
            text = block["text"]
            if not text.startswith(CORE_LEAD) or '"' not in text:
                continue
            name = text[len(CORE_LEAD) :].split(", as a speaker puts it", 1)[0]
            concept = by_name.get(name)
            quote = text.split('"', 1)[1].rsplit('"', 1)[0]
            ok = concept is not None and says_what(quote, _pattern(concept))
            found.append((lesson["title"], name, quote, ok))
    return found


def anywhere(course: dict) -> list[tuple[str, int, str]]:
    """(concept name, sentences saying what it is, the best of them) for every concept, in the
    course's concept order; the best by explains_score + explains_idea among those that pass."""
    sentences = [s["text"] for e in course["episodes"] for p in e["passages"] for s in p["sentences"]]
    found: list[tuple[str, int, str]] = []
    for concept in course["concepts"]:
        names_it = _pattern(concept)
        passing = [t for t in sentences if names_it.search(t) and says_what(t, names_it)]
        passing.sort(key=lambda t: -(explains_score(t, names_it) + explains_idea(t, names_it)))
        found.append((concept["name"], len(passing), passing[0] if passing else ""))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("--list", action="store_true", help="print every core with its verdict")
    parser.add_argument(
        "--anywhere", action="store_true", help="per concept, the episodes' sentences that say what it is"
    )
    args = parser.parse_args(argv)
    try:
        course = json.loads(args.course.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: cannot read {args.course}: {exc}", file=sys.stderr)
        return 2
    if args.anywhere:
        rows = anywhere(course)
        for name, count, best in rows:
            print(f"{count:3d}  {name}: {best}")
        print(
            f"concepts with a sentence that says what they are: {sum(c > 0 for _, c, _ in rows)}/{len(rows)}"
        )
        return 0
    found = cores(course)
    first: dict[str, bool] = {}
    for title, _, _, ok in found:
        first.setdefault(title, ok)
    if args.list:
        for title, name, quote, ok in found:
            print(f"{'yes' if ok else ' no'}  {title} / {name}: {quote}")
    print(
        f"cores that say what: {sum(ok for *_, ok in found)}/{len(found)} core blocks; "
        f"{sum(first.values())}/{len(first)} lessons (their first core)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
