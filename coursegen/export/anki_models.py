"""The Anki note types: ids, field lists and templates chosen once, never to change.

Anki matches note types by id; a changed field list makes every existing note "conflicting"
on import, so these field lists are frozen. Templates and CSS may change (Anki updates them
in place).
"""

from __future__ import annotations

import genanki

# Chosen once, never to change: Anki matches note types by id, and a changed field list
# makes every existing note "conflicting" on import (see /docs/anki facts).
BASIC_MODEL_ID = 1738160331
CLOZE_MODEL_ID = 1738160332
BASIC_FIELDS = (
    "Front", "Back", "Source", "Attribution", "Lesson", "Concept", "ConceptId", "Identity", "Extra",
)
CLOZE_FIELDS = ("Text", "Extra", "Source", "Attribution", "Lesson", "Concept", "ConceptId", "Identity")
RETIRED_TAG = "coursegen::retired"

# Templates and CSS may change (Anki updates them in place); field lists may not.
_CSS = """
.card { font-family: system-ui, sans-serif; font-size: 20px; line-height: 1.45;
  color: #1b1b1b; background: #fff; text-align: left; max-width: 40em; margin: 0 auto; }
.nightMode.card, .night_mode .card { color: #eee; background: #1e1e1e; }
.extra { margin-top: .8em; }
.source { margin-top: 1em; font-size: 16px; }
.source blockquote { margin: .5em 0; padding: .3em .8em; border-left: 4px solid #7a7a7a; }
.source .meta, .attribution, .lesson { font-size: 14px; color: #555; }
.nightMode .source .meta, .nightMode .attribution, .nightMode .lesson { color: #bbb; }
.cloze { font-weight: bold; color: #0b57d0; }
"""

_BACK_COMMON = (
    '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}'
    '<div class="source">{{Source}}</div>'
    '<div class="lesson">{{Lesson}}</div>'
    '<div class="attribution">{{Attribution}}</div>'
)

BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID,
    "coursegen basic",
    fields=[{"name": name} for name in BASIC_FIELDS],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}' + _BACK_COMMON,
        }
    ],
    css=_CSS,
    sort_field_index=0,
)

CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID,
    "coursegen cloze",
    fields=[{"name": name} for name in CLOZE_FIELDS],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}" + _BACK_COMMON,
        }
    ],
    css=_CSS,
    model_type=genanki.Model.CLOZE,
    sort_field_index=0,
)
