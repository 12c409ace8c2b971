"""A small realistic course for the site tests, quoting the Karpathy seed (004) and seed 002.

Quotes are the de-duplicated caption text of the seed lines named in each sentence, so the
pages look like what a real build publishes. `hostile_course()` puts markup and script
payloads into every text field a transcript or a model could fill.
"""

from __future__ import annotations

from coursegen.ir import (
    Block,
    Citation,
    Course,
    Episode,
    Lesson,
    Passage,
    PlacementItem,
    Question,
    Sentence,
)

KARPATHY = "004-karpathy"
VINYALS = "002-vinyals"
VIDEO = "https://www.youtube.com/watch?v=lXUZvyajciY"

# (passage, start seconds, line, text): one sentence per passage keeps the fixture readable.
_KARPATHY_SENTENCES = [
    ("p1", 7407.0, 7939, "In my mind education is kind of like the very difficult technical process of "
                         "building ramps to knowledge."),
    ("p2", 7424.0, 7959, "It's giving you a lot of what I call Eurekas per second, which is like "
                         "understanding per second."),
    ("p3", 8352.0, 8993, "You're trying to lay it out in a way that creates a ramp where everything only "
                         "depends on the thing before it."),
    ("p4", 8405.0, 9053, "You're presenting the pain before you present a solution, and how clever is that."),
    ("p5", 8423.0, 9077, "Like how would you solve this? I'm not going to present a solution before you're "
                         "going to guess."),
    ("p6", 8257.0, 8877, "I always try to find the first order terms or the second order terms of "
                         "everything."),
    ("p7", 8474.0, 9129, "Well, it's the curse of knowledge and expertise."),
    ("p8", 7233.0, 7765, "I need to be always appropriately challenged. I can't be faced with something too "
                         "hard or too trivial."),
]


def _karpathy() -> Episode:
    passages = []
    for pid, start, line, text in _KARPATHY_SENTENCES:
        sentence = Sentence(id=f"{KARPATHY}/{pid}/s1", text=text, start=start, end=start + 4,
                            line_start=line, line_end=line + 2)
        passages.append(Passage(id=f"{KARPATHY}/{pid}", start=start, end=start + 4,
                                speaker="Andrej Karpathy", line_start=line, line_end=line + 2,
                                sentences=[sentence]))
    return Episode(id=KARPATHY, title="Andrej Karpathy — “We’re summoning ghosts, not building animals”",
                   source="seeds/004_81e8968b19920830.txt", sha256="0" * 64, format="seed-bilingual-captions",
                   speakers=["Andrej Karpathy", "Dwarkesh Patel"], url=VIDEO, passages=passages)


def _vinyals() -> Episode:
    text = ("We always go from you know the components we're building are general.")
    sentence = Sentence(id=f"{VINYALS}/p1/s1", text=text, line_start=132, line_end=132)
    passage = Passage(id=f"{VINYALS}/p1", speaker=None, line_start=132, line_end=132, sentences=[sentence])
    return Episode(id=VINYALS, title="Gemini Co-Lead on World Models, RL's Next Domains & Continual Learning",
                   source="seeds/002_06453bb8a140ced2.txt", sha256="1" * 64, format="seed-summary-page",
                   speakers=["Oriol Vinyals", "Jacob Effron"], passages=[passage])


def cite(pid: str, episode: str = KARPATHY) -> Citation:
    """A citation of the single sentence of passage `pid`, materialized like a real build."""
    for p, start, _line, text in _KARPATHY_SENTENCES:
        if p == pid and episode == KARPATHY:
            return Citation(episode=episode, sentence_ids=[f"{episode}/{pid}/s1"], quote=text, start=start,
                            end=start + 4, url=f"{VIDEO}&t={int(start)}")
    return Citation(episode=VINYALS, sentence_ids=[f"{VINYALS}/p1/s1"],
                    quote="We always go from you know the components we're building are general.")


def _lessons() -> list[Lesson]:
    return [
        Lesson(
            id="ramps-to-knowledge", position=0, title="Education as building ramps to knowledge", level=1,
            concepts=["ramp"], reading_minutes=3,
            problem="A brilliant course can still lose most of its learners in week two. What goes wrong?",
            prediction="Before reading on: what does a learner need most from the order of a course?",
            prediction_reveal="A ramp: every step only a little above the last, so nobody is stuck.",
            blocks=[
                Block(text="Karpathy treats teaching as an engineering problem: build a ramp, not a pile "
                           "of facts.", citations=[cite("p1")]),
                Block(text="A good ramp keeps the learner appropriately challenged at every step.",
                      citations=[cite("p8")]),
            ],
            question_ids=["q-ramp-mcq", "q-ramp-tf"],
        ),
        Lesson(
            id="depends-on-before", position=1, title="Everything depends only on the thing before it",
            level=1, concepts=["ordering"], reading_minutes=3, prerequisite_lessons=["ramps-to-knowledge"],
            problem="You know twenty ideas a learner needs. In which order do you teach them?",
            prediction="Guess: what rule decides whether idea A may come before idea B?",
            prediction_reveal="A comes first when B depends on it: each step uses only what came before.",
            blocks=[Block(text="Untangle the ideas and lay them out so each one builds on the ones before.",
                          citations=[cite("p3")])],
            question_ids=["q-order-cloze", "q-order-short"],
        ),
        Lesson(
            id="pain-first", position=2, title="Present the pain before the solution", level=2,
            concepts=["pain-first"], reading_minutes=2, prerequisite_lessons=["ramps-to-knowledge"],
            problem="Learners forget solutions to problems they never felt. How does a solution stick?",
            prediction="What should a lesson show before it shows the answer?",
            prediction_reveal="The problem the answer solves: the pain comes first.",
            blocks=[Block(text="Show why a piece is needed, what problem it solves, then the piece itself.",
                          citations=[cite("p4")])],
            question_ids=["q-pain-mcq", "q-pain-tf"],
        ),
        Lesson(
            id="guess-first", position=3, title="Make the learner guess before the reveal", level=2,
            concepts=["guess-first"], reading_minutes=2, prerequisite_lessons=["pain-first"],
            problem="Reading an answer feels like learning, yet little of it stays. Why?",
            prediction="Is it better to guess wrongly first, or to read the answer straight away?",
            prediction_reveal="Guess first: a guess, even a wrong one, prepares you to keep the answer.",
            blocks=[Block(text="Ask how the learner would solve it, and only then present the solution.",
                          citations=[cite("p5")])],
            question_ids=["q-guess-mcq", "q-guess-cloze"],
        ),
        Lesson(
            id="first-order-terms", position=4, title="First-order terms first, then tack on the rest",
            level=3, concepts=["first-order"], reading_minutes=4,
            prerequisite_lessons=["depends-on-before", "guess-first"],
            problem="A system has dozens of moving parts. Where does an explanation start?",
            prediction="Which part of a system would you explain first?",
            prediction_reveal="The first-order term: the simplest thing that already shows the idea working.",
            blocks=[
                Block(text="Find the component that matters most and show it in action.",
                      citations=[cite("p6")]),
                Block(text="Good lessons add understanding quickly: Eurekas per second.",
                      citations=[cite("p2")]),
                Block(text="Machine learning history shows the same pattern of general components.",
                      citations=[cite("p1", VINYALS)]),
            ],
            question_ids=["q-first-mcq", "q-first-tf"],
        ),
        Lesson(
            id="curse-of-knowledge", position=5, title="Why experts explain badly: the curse of knowledge",
            level=4, concepts=["curse"], reading_minutes=3, prerequisite_lessons=["first-order-terms"],
            problem="Experts know the most, yet learners often understand them least. How can that be?",
            prediction="What do you think makes an expert's explanation hard to follow?",
            prediction_reveal="They no longer remember not knowing: the curse of knowledge.",
            # Written the extractive engine's way: the prose quotes the cited sentence, without the
            # speaker's opening filler ("Well,").
            blocks=[Block(text='The core idea, in his words: "It\'s the curse of knowledge and expertise."',
                          citations=[cite("p7")])],
            question_ids=["q-curse-mcq", "q-curse-short"],
        ),
    ]


def _questions() -> list[Question]:
    def q(qid: str, lesson: str, concept: str, kind: str, stem: str, answer: bool | int | str,
          pid: str, options: list[str] | None = None, explanation: str = "") -> Question:
        return Question(id=qid, lesson=lesson, concept=concept, kind=kind, stem=stem,  # type: ignore[arg-type]
                        options=options or [], answer=answer, citations=[cite(pid)], explanation=explanation)

    return [
        q("q-ramp-mcq", "ramps-to-knowledge", "ramp", "mcq",
          "How does Karpathy describe the job of education?", 1, "p1",
          ["Collecting the best lectures", "Building ramps to knowledge", "Testing what students know",
           "Making videos shorter"], "He calls it the technical process of building ramps to knowledge."),
        q("q-ramp-tf", "ramps-to-knowledge", "ramp", "true_false",
          "A learner should always be appropriately challenged: never too hard, never too trivial.", True,
          "p8"),
        q("q-order-cloze", "depends-on-before", "ordering", "cloze",
          "In a good ramp, everything only depends on the thing {{c1::before}} it.", "before", "p3"),
        q("q-order-short", "depends-on-before", "ordering", "short",
          "In your own words: why should each idea depend only on earlier ones?",
          "So a learner never meets an idea that uses something not yet taught.", "p3"),
        q("q-pain-mcq", "pain-first", "pain-first", "mcq",
          "What comes before the solution in a well-built lesson?", 2, "p4",
          ["A summary", "A quiz", "The pain, the problem it solves", "The history of the field"]),
        q("q-pain-tf", "pain-first", "ramp", "true_false",
          "A ramp should put the hardest step first.", False, "p8",
          explanation="The opposite: each step only a little above the last."),
        q("q-guess-mcq", "guess-first", "guess-first", "mcq",
          "When does Karpathy present a solution?", 0, "p5",
          ["After the learner has guessed", "Before the problem", "Only in the appendix"]),
        q("q-guess-cloze", "guess-first", "guess-first", "cloze",
          "I'm not going to present a solution before you're going to {{c1::guess}}.", "guess", "p5"),
        q("q-first-mcq", "first-order-terms", "first-order", "mcq",
          "What does Karpathy look for first in a system?", 3, "p6",
          ["Its history", "Its edge cases", "Its jargon", "The first order terms"]),
        q("q-first-tf", "first-order-terms", "ordering", "true_false",
          "A lesson may use an idea that is only taught two lessons later.", False, "p3"),
        q("q-curse-mcq", "curse-of-knowledge", "curse", "mcq",
          "Why are experts often bad at explaining their field?", 1, "p7",
          ["They are too busy", "The curse of knowledge and expertise", "They use too many examples"]),
        q("q-curse-short", "curse-of-knowledge", "curse", "short",
          "Explain the curse of knowledge to a friend in one sentence.",
          "Once you know something well you forget what it was like not to know it.", "p7"),
    ]


def sample_course() -> Course:
    """Six lessons on Karpathy's ramps to knowledge, with a placement quiz."""
    return Course(
        id="ramps-to-knowledge-course",
        title="Ramps to Knowledge: How Good Lessons Are Built",
        episodes=[_karpathy(), _vinyals()],
        lessons=_lessons(),
        questions=_questions(),
        placement=[
            PlacementItem(question_id="q-order-cloze", start_lesson="depends-on-before"),
            PlacementItem(question_id="q-guess-mcq", start_lesson="guess-first"),
            PlacementItem(question_id="q-curse-mcq", start_lesson="curse-of-knowledge"),
        ],
    )


PAYLOAD = '</script><script>alert(1)</script><img src=x onerror="alert(2)"><!-- & "quotes"'


def hostile_course() -> Course:
    """The sample course with script and markup payloads in every field a transcript can reach."""
    course = sample_course()
    data = course.model_dump()
    data["title"] = f"Course {PAYLOAD}"
    data["id"] = f"id {PAYLOAD}"
    for episode in data["episodes"]:
        episode["title"] = f"Episode {PAYLOAD}"
        episode["speakers"] = [f"Speaker {PAYLOAD}"]
        episode["url"] = "javascript:alert(3)"
        for passage in episode["passages"]:
            passage["speaker"] = f"Speaker {PAYLOAD}"
    for lesson in data["lessons"]:
        lesson["id"] = f"{lesson['id']} {PAYLOAD}"
        lesson["prerequisite_lessons"] = [f"{pid} {PAYLOAD}" for pid in lesson["prerequisite_lessons"]]
        for key in ("title", "problem", "prediction", "prediction_reveal"):
            lesson[key] = f"{lesson[key]} {PAYLOAD}"
        for block in lesson["blocks"]:
            block["text"] = f"{block['text']} {PAYLOAD}"
            for citation in block["citations"]:
                citation["quote"] = f"{citation['quote']} {PAYLOAD}"
                citation["url"] = "javascript:alert(4)"
    for question in data["questions"]:
        question["lesson"] = f"{question['lesson']} {PAYLOAD}"
        question["stem"] = f"{question['stem']} {PAYLOAD}"
        question["explanation"] = f"Because {PAYLOAD}"
        question["options"] = [f"{option} {PAYLOAD}" for option in question["options"]]
        if isinstance(question["answer"], str):
            question["answer"] = f"{question['answer']} {PAYLOAD}"
        for citation in question["citations"]:
            citation["quote"] = f"{citation['quote']} {PAYLOAD}"
    for item in data["placement"]:
        item["start_lesson"] = f"{item['start_lesson']} {PAYLOAD}"
    return Course.model_validate(data)



def skipping_placement_course() -> Course:
    """The sample course with a placement quiz like the extractive engine's: a miss starts the
    learner right after the lesson the previous item checked, before the item's own lesson."""
    return sample_course().model_copy(
        update={
            "placement": [
                PlacementItem(question_id="q-order-cloze", start_lesson="ramps-to-knowledge"),
                PlacementItem(question_id="q-curse-mcq", start_lesson="pain-first"),
            ]
        }
    )
