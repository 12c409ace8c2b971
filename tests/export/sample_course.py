"""A small but complete Course for export tests, full of hostile transcript text.

Importable by other areas' tests (`from tests.export.sample_course import sample_course`).
Three lessons, every question kind, basic and cloze cards (c1 and c2), citations with a
YouTube deep link, and transcript text that tries to inject HTML, JS, GIFT, cloze and Jinja.
"""

from __future__ import annotations

from coursegen.ir import (
    Block,
    Card,
    Citation,
    Concept,
    Course,
    Episode,
    Lesson,
    Passage,
    PlacementItem,
    Question,
    Sentence,
)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
GIFT_SPECIALS = "~ = # { } :"
CLOZE_IN_QUOTE = "{{c1::x}}"
JINJA = "{{ 7*7 }} {% raw %}"
RTL = "\u05e9\u05dc\u05d5\u05dd \u202eevil\u202c"  # Hebrew, then a right-to-left override
ZERO_WIDTH = "zero\u200bwidth\u200djoin"
HOSTILE = f"{SCRIPT} {IMG} {GIFT_SPECIALS} {CLOZE_IN_QUOTE} {JINJA} {RTL} {ZERO_WIDTH} back\\slash"

VIDEO = "https://www.youtube.com/watch?v=abcDEF12345"

S_ATTN = (
    "Attention lets every token look at every other token in the sequence at once. "
)
S_HOSTILE = f"Somebody typed {HOSTILE} into the chat and we read it aloud."
S_SCALE = "When you scale the model and the data together, the loss keeps falling smoothly."
S_KV = "The key value cache stores past keys and values so decoding does not recompute them."
S_MOE = "A mixture of experts routes each token to only two of its many expert networks."


def _episode_a() -> Episode:
    return Episode(
        id="ep-attention",
        title=f"Attention & scaling <b>live</b> {SCRIPT}",
        source="seeds/ep-attention.vtt",
        sha256="0" * 64,
        format="webvtt",
        speakers=["Ada Lovelace", f"Mallory {IMG}"],
        url=VIDEO,
        passages=[
            Passage(
                id="ep-attention/p1",
                start=61.0,
                end=75.5,
                speaker="Ada Lovelace",
                line_start=10,
                line_end=14,
                sentences=[
                    Sentence(id="ep-attention/p1/s1", text=S_ATTN.strip(), start=61.0, end=66.0,
                             line_start=10, line_end=11),
                    Sentence(id="ep-attention/p1/s2", text=S_HOSTILE, start=66.0, end=75.5,
                             line_start=12, line_end=14),
                ],
            ),
            Passage(
                id="ep-attention/p2",
                start=3725.0,
                end=3731.0,
                speaker=f"Mallory {IMG}",
                line_start=200,
                line_end=201,
                sentences=[
                    Sentence(id="ep-attention/p2/s1", text=S_SCALE, start=3725.0, end=3731.0,
                             line_start=200, line_end=201),
                ],
            ),
        ],
    )


def _episode_b() -> Episode:
    return Episode(
        id="ep-serving",
        title="Serving models cheaply",
        source="seeds/ep-serving.txt",
        sha256="1" * 64,
        format="plain-text",
        speakers=["Grace Hopper"],
        url=None,
        passages=[
            Passage(
                id="ep-serving/p1",
                speaker="Grace Hopper",
                line_start=5,
                line_end=8,
                sentences=[
                    Sentence(id="ep-serving/p1/s1", text=S_KV, line_start=5, line_end=6),
                    Sentence(id="ep-serving/p1/s2", text=S_MOE, line_start=7, line_end=8),
                ],
            ),
        ],
    )


def cite_attention() -> Citation:
    """Citation with a time deep link."""
    return Citation(episode="ep-attention", sentence_ids=["ep-attention/p1/s1"], quote=S_ATTN.strip(),
                    start=61.0, end=66.0, url=f"{VIDEO}&t=61")


def cite_hostile() -> Citation:
    """Citation whose verbatim quote is hostile."""
    return Citation(episode="ep-attention", sentence_ids=["ep-attention/p1/s2"], quote=S_HOSTILE,
                    start=66.0, end=75.5, url=f"{VIDEO}&t=66")


def cite_scale() -> Citation:
    """Citation past the hour mark (h:mm:ss)."""
    return Citation(episode="ep-attention", sentence_ids=["ep-attention/p2/s1"], quote=S_SCALE,
                    start=3725.0, end=3731.0, url=f"{VIDEO}&t=3725")


def cite_kv() -> Citation:
    """Citation from an untimed episode with an estimated time and no link."""
    return Citation(episode="ep-serving", sentence_ids=["ep-serving/p1/s1"], quote=S_KV,
                    start=120.0, time_estimated=True)


def cite_moe() -> Citation:
    """Citation from an untimed episode, no time at all."""
    return Citation(episode="ep-serving", sentence_ids=["ep-serving/p1/s2"], quote=S_MOE)


def sample_course(course_id: str = "sample-course") -> Course:
    """The sample course (fresh objects each call, so tests may mutate it)."""
    concepts = [
        Concept(id="attention", name="Attention", definition="Tokens weigh every other token.",
                citations=[cite_attention()], importance=0.9),
        Concept(id="scaling-laws", name="Scaling laws", definition="Loss falls smoothly with scale.",
                citations=[cite_scale()], prerequisites=["attention"], importance=0.8),
        Concept(id="kv-cache", name="KV cache", definition="Stored keys and values for decoding.",
                citations=[cite_kv()], prerequisites=["attention"], importance=0.7),
        Concept(id="mixture-of-experts", name="Mixture of experts", definition="Routing to experts.",
                citations=[cite_moe()], prerequisites=["kv-cache"], importance=0.6),
    ]
    lessons = [
        Lesson(id="attention", position=1, title="Attention: every token sees every token", level=1,
               concepts=["attention"],
               problem=f"Why would a model need to look at the whole sentence? {SCRIPT}",
               prediction="Guess: does a token attend to itself?",
               prediction_reveal="Yes, attention includes the token itself.",
               blocks=[Block(text=f"Attention compares tokens pairwise. Cost is $O(n^2)$. {IMG}",
                             citations=[cite_attention(), cite_hostile()])],
               reading_minutes=3.0, question_ids=["q-attn-mcq", "q-attn-tf"]),
        Lesson(id="scaling-laws", position=2, title="Scaling laws {{ 7*7 }}", level=2,
               concepts=["scaling-laws"],
               problem="What happens to loss as we grow the model?",
               prediction="Guess: does loss fall smoothly or in jumps?",
               prediction_reveal="Smoothly.",
               blocks=[Block(text="Loss falls as a power law of compute.", citations=[cite_scale()])],
               reading_minutes=2.0, question_ids=["q-scale-cloze", "q-scale-short"],
               prerequisite_lessons=["attention"]),
        Lesson(id="serving", position=3, title=f"Serving: KV cache and experts {GIFT_SPECIALS}", level=3,
               concepts=["kv-cache", "mixture-of-experts"],
               problem="Decoding is slow. What can we avoid recomputing?",
               prediction="Guess: what does the cache store?",
               prediction_reveal="Past keys and values.",
               blocks=[Block(text="The KV cache trades memory for speed.", citations=[cite_kv()]),
                       Block(text="Experts are chosen per token.", citations=[cite_moe()])],
               reading_minutes=4.0, question_ids=["q-kv-mcq", "q-moe-tf", "q-hostile-short"],
               prerequisite_lessons=["attention"]),
    ]
    questions = [
        Question(id="q-attn-mcq", lesson="attention", concept="attention", kind="mcq",
                 stem="What does each token look at under attention?",
                 options=["Only the previous token", "Every token in the sequence",
                          f"Nothing {SCRIPT}", "Only tokens ~ = # { } : far away"],
                 answer=1, explanation="It looks at every token.", citations=[cite_attention()]),
        Question(id="q-attn-tf", lesson="attention", concept="attention", kind="true_false",
                 stem=f"Attention looks at every token at once. {IMG}", answer=True,
                 explanation="Stated in the quote.", citations=[cite_attention(), cite_hostile()]),
        Question(id="q-scale-cloze", lesson="scaling-laws", concept="scaling-laws", kind="cloze",
                 stem="When you scale the model and the data together, the {{c1::loss}} keeps falling.",
                 answer="loss", explanation="The loss falls smoothly.", citations=[cite_scale()],
                 bloom="understand", difficulty=2),
        Question(id="q-scale-short", lesson="scaling-laws", concept="scaling-laws", kind="short",
                 stem="Explain in one sentence what scaling both model and data does.",
                 answer="The loss keeps falling smoothly.", citations=[cite_scale()],
                 bloom="understand", difficulty=2),
        Question(id="q-kv-mcq", lesson="serving", concept="kv-cache", kind="mcq",
                 stem="What does the KV cache store?",
                 options=["Past keys and values", "Gradients", "The vocabulary"],
                 answer=0, explanation="Keys and values.", citations=[cite_kv()], difficulty=3),
        Question(id="q-moe-tf", lesson="serving", concept="mixture-of-experts", kind="true_false",
                 stem="A mixture of experts sends each token to every expert.", answer=False,
                 explanation="Only two experts per token.", citations=[cite_moe()], difficulty=3),
        Question(id="q-hostile-short", lesson="serving", concept="kv-cache", kind="short",
                 stem=f"Quote the chat message: {HOSTILE}",
                 answer=f"It was {HOSTILE}", explanation=f"Literally {HOSTILE}",
                 citations=[cite_hostile()], difficulty=3),
    ]
    cards = [
        Card(id="c-attn-basic", identity=f"{course_id}/attention/what-tokens-see", kind="basic",
             front="Under attention, which tokens does a token look at?",
             back="Every token in the sequence, at once.", concept="attention", lesson="attention",
             citations=[cite_attention()]),
        Card(id="c-attn-cost", identity=f"{course_id}/attention/cost", kind="basic",
             front="What is the cost of attention in sequence length $n$?", back="$O(n^2)$",
             concept="attention", lesson="attention", citations=[cite_attention()]),
        Card(id="c-hostile", identity=f"{course_id}/attention/hostile-chat", kind="basic",
             front=f"What was typed into the chat? {HOSTILE}", back=f"{HOSTILE}",
             concept="attention", lesson="attention", citations=[cite_hostile()]),
        Card(id="c-scale-cloze", identity=f"{course_id}/scaling-laws/loss-falls", kind="cloze",
             front="When you scale the {{c1::model}} and the {{c2::data}} together, the loss keeps falling.",
             back="Scaling both is what matters.", concept="scaling-laws", lesson="scaling-laws",
             citations=[cite_scale()]),
        Card(id="c-kv-basic", identity=f"{course_id}/kv-cache/stores", kind="basic",
             front="What does the KV cache store?", back="Past keys and values.",
             concept="kv-cache", lesson="serving", citations=[cite_kv()]),
        Card(id="c-moe-cloze", identity=f"{course_id}/mixture-of-experts/two-experts", kind="cloze",
             front="A mixture of experts routes each token to only {{c1::two}} experts.",
             concept="mixture-of-experts", lesson="serving", citations=[cite_moe()]),
    ]
    return Course(
        id=course_id,
        title="Transformers <i>from</i> podcasts",
        episodes=[_episode_a(), _episode_b()],
        concepts=concepts,
        lessons=lessons,
        questions=questions,
        cards=cards,
        placement=[PlacementItem(question_id="q-attn-mcq", start_lesson="attention"),
                   PlacementItem(question_id="q-kv-mcq", start_lesson="serving")],
    )


def expected_anki_card_count(course: Course) -> int:
    """Sum of cloze deletions per cloze card, 1 per basic card."""
    import re

    total = 0
    for card in course.cards:
        if card.kind == "cloze":
            total += len(set(re.findall(r"\{\{c(\d+)::", card.front)))
        else:
            total += 1
    return total
