"""How an extractive lesson reads: a core idea that says what the concept is (as a short passage),
an opening that names the concept, only substantive further points, a prediction tied to the
opening and a reveal that does not repeat the core quote."""

from __future__ import annotations

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.lessons import write_lesson
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import Cite, ConceptGraph, GraphConcept, LessonDraft, LessonPlan
from coursegen.pipeline import BuildResult
from tests.pipeline.conftest import make_episode


def _lesson(
    passages: list[list[str]],
    evidence: list[str],
    problems: tuple[str, ...] = (),
    others: tuple[GraphConcept, ...] = (),
) -> LessonDraft:
    """The lesson on "replay buffer" whose evidence and questions are these sentence ids, in a
    course that also knows the `others` concepts (taught in no lesson before this one)."""
    episode = make_episode("ep", passages)
    concept = GraphConcept(
        id="replay-buffer",
        name="replay buffer",
        definition="",
        evidence=[Cite(episode="ep", sentence_ids=[sid]) for sid in evidence],
        problems=[Cite(episode="ep", sentence_ids=[sid]) for sid in problems],
    )
    context = LessonContext(graph=ConceptGraph(concepts=[concept, *others]), sources=SourceIndex([episode]))
    plan = LessonPlan(id="replay-buffer", position=0, level=1, concepts=["replay-buffer"])
    return write_lesson(plan, context)


def _cited(draft: LessonDraft, block: int = 0) -> list[str]:
    return [sid for cite in draft.blocks[block].cites for sid in cite.sentence_ids]


def test_core_prefers_what_the_concept_is_over_an_aside_and_a_garble() -> None:
    passages = [
        [
            "I think it's definitely been nice that the replay buffer got around, thank God.",
            "The core intellectual piece of the replay buffer training is microat.",
            "A replay buffer is a store of past experiences that the agent samples from when it trains.",
        ]
    ]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p0/s1", "ep/p0/s2"])
    assert _cited(draft) == ["ep/p0/s2"]
    # The aside and the garble add nothing: no further block quotes them.
    assert len(draft.blocks) == 1


def test_core_quote_takes_the_sentence_that_carries_the_thought_on() -> None:
    passages = [
        [
            "A replay buffer keeps the transitions an agent has seen during earlier episodes of play.",
            "That way the agent can learn from the same rare event many times instead of once.",
            "We had lunch after the talk and the weather was quite nice outside.",
        ]
    ]
    draft = _lesson(passages, ["ep/p0/s0"])
    assert _cited(draft) == ["ep/p0/s0", "ep/p0/s1"]
    assert "rare event" in draft.blocks[0].text
    # An unrelated next sentence is never added.
    alone = _lesson([[passages[0][0], passages[0][2]]], ["ep/p0/s0"])
    assert _cited(alone) == ["ep/p0/s0"]


def test_core_quote_opening_with_a_pronoun_takes_the_sentence_it_leans_on() -> None:
    passages = [
        [
            "People kept asking about the replay buffer in our robotics lab last year.",
            "It stores every transition so the learner can sample old experience in random order later.",
        ]
    ]
    draft = _lesson(passages, ["ep/p0/s1"])
    assert _cited(draft) == ["ep/p0/s0", "ep/p0/s1"]


def test_opening_is_never_a_tag_question_or_a_question_about_something_else() -> None:
    passages = [
        [
            "The replay buffer is really useful for the agent, right?",
            "What did you have for breakfast before the recording today?",
            "A replay buffer is a store of past experiences that the agent samples from when it trains.",
        ]
    ]
    draft = _lesson(passages, ["ep/p0/s2"], problems=("ep/p0/s0", "ep/p0/s1"))
    assert "right?" not in draft.problem and "breakfast" not in draft.problem
    assert "replay buffer" in draft.problem
    asked = _lesson(
        [["How does a replay buffer keep an agent from forgetting rare events?", *passages[0][2:]]],
        ["ep/p0/s1"],
        problems=("ep/p0/s0",),
    )
    assert "How does a replay buffer keep" in asked.problem
    assert "opening question" in asked.prediction or "finish the sentence" in asked.prediction


def test_a_difficulty_opens_the_lesson_and_the_prediction_follows_it() -> None:
    passages = [
        [
            "Without a replay buffer the agent forgets rare events, which is a hard problem in robotics.",
            "The replay buffer lets the agent revisit old transitions many times during its training runs.",
        ]
    ]
    draft = _lesson(passages, ["ep/p0/s1", "ep/p0/s0"])
    assert draft.problem.startswith("Start with the problem")
    assert "forgets rare events" in draft.problem
    # Cited to its moment, so the reader can find it.
    assert '(at 0:00 in "Talk ep")' in draft.problem
    # Not quoted again below as a further point.
    assert all("forgets rare events" not in block.text for block in draft.blocks)


def test_reveal_points_to_the_core_instead_of_repeating_it() -> None:
    passages = [["With the replay buffer we reuse the old transitions to train the policy many more times."]]
    draft = _lesson(passages, ["ep/p0/s0"])
    core = draft.blocks[0].text.split('"')[1]
    assert core not in draft.prediction_reveal
    assert "core idea" in draft.prediction_reveal
    defined = _lesson(
        [["Replay buffer is really the heart of the training setup we run on every robot today."]],
        ["ep/p0/s0"],
    )
    assert 'finish the sentence "Replay buffer is …"' in defined.prediction
    assert "the heart of the training setup" in defined.prediction_reveal
    # A definition that gives the concept a job opens the lesson with the job instead; the guess
    # is then about the job (finishing the sentence would only repeat the opening).
    job = _lesson(
        [["Replay buffer is a store of past experiences that the agent samples from when it trains."]],
        ["ep/p0/s0"],
    )
    assert job.problem.startswith("Suppose you needed a store of past experiences that the agent samples")
    assert "finish the sentence" not in job.prediction


def test_seed_lessons_open_on_their_concept_and_quote_readable_passages(seed_build: BuildResult) -> None:
    course = seed_build.course
    by_id = {c.id: c for c in course.concepts}
    for lesson in course.lessons:
        names = [n.lower() for cid in lesson.concepts for n in (by_id[cid].name, *by_id[cid].aliases)]
        if lesson.problem.startswith("A question from the conversation"):
            quoted = lesson.problem.split('"')[1]
            assert not quoted.rstrip().lower().endswith(("right?", "no?", "yeah?")), lesson.problem
            assert any(n in quoted.lower().replace("-", " ") or n in quoted.lower() for n in names), (
                lesson.problem
            )
        for block in lesson.blocks:
            words = sum(len(c.quote.split()) for c in block.citations)
            assert 6 <= words <= 80, (lesson.id, block.text)


def test_further_points_leave_out_passing_mentions_of_the_concept() -> None:
    passages = [
        [
            "A replay buffer is a store of past experiences that the agent samples from when it trains.",
            "The replay buffer keeps rare transitions around so the policy can learn from them again later.",
        ],
        ["Task specific models for something that high value because you pay like $1 a replay buffer."],
        # A guest's biography, in a caption line (unpunctuated, as auto-captions are).
        [
            "I've been involved in some of the most important discoveries in robotics in the last decade "
            "know him as one of the co-inventors of the replay buffer"
        ],
    ]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p0/s1", "ep/p1/s0", "ep/p2/s0"])
    shown = " ".join(block.text for block in draft.blocks)
    assert "rare transitions" in shown
    # A price and a biography name the concept in passing: they teach nothing about it.
    assert "$1" not in shown and "co-inventors" not in shown


def test_further_points_do_not_point_back_at_talk_the_lesson_leaves_out() -> None:
    passages = [
        [
            "A replay buffer is a store of past experiences that the agent samples from when it trains.",
            "The replay buffer keeps rare transitions around so the policy can learn from them again later.",
        ],
        [
            "We often distill a large model into a smaller one that is cheaper to serve.",
            "You can also view this as something happening in the replay buffer at the module level.",
        ],
    ]
    draft = _lesson(passages, ["ep/p0/s0", "ep/p0/s1", "ep/p1/s1"])
    shown = " ".join(block.text for block in draft.blocks)
    assert "rare transitions" in shown
    # Shown only with the sentence it points back at (the questions read it so), or not at all.
    assert "view this as" not in shown or "distill a large model into a smaller one" in shown


def test_a_caption_cut_into_lines_is_quoted_as_the_whole_thought() -> None:
    # Unpunctuated auto-captions: one spoken sentence over three lines, the next one a new clause.
    passages = [
        [
            "we were talking about robots in the lab",
            "I don't want the replay buffer to just keep every transition forever",
            "but we also want it to keep the rare ones the agent learns the most from",
            "when it goes back over its past experience during training",
            "I think we had lunch outside in the sun after that",
        ]
    ]
    draft = _lesson(passages, ["ep/p0/s1"])
    assert _cited(draft) == ["ep/p0/s1", "ep/p0/s2", "ep/p0/s3"]
    assert draft.blocks[0].text.endswith('during training."')
    # A punctuated sentence is never extended into the next line.
    whole = _lesson(
        [["The replay buffer keeps every transition the agent has seen in training.", "and lunch was nice"]],
        ["ep/p0/s0"],
    )
    assert _cited(whole) == ["ep/p0/s0"]


def test_the_core_uses_the_concepts_own_name_not_a_form_with_another_sense() -> None:
    # "scale" is folded into "scaling" as a form of the word, but here it means something else.
    passages = [
        [
            "We needed asynchronous training to help scale, so that each model copy sends its updates.",
            "Data centers are expensive and the networks between them are slow in many places.",
        ],
        ["Scaling up the model by ten times costs roughly ten times the compute during training."],
    ]
    episode = make_episode("ep", passages)
    concept = GraphConcept(
        id="scaling",
        name="scaling",
        aliases=["scale"],
        definition="",
        evidence=[Cite(episode="ep", sentence_ids=["ep/p0/s0"])],
    )
    context = LessonContext(graph=ConceptGraph(concepts=[concept]), sources=SourceIndex([episode]))
    draft = write_lesson(LessonPlan(id="scaling", position=0, level=1, concepts=["scaling"]), context)
    # The other mention of the episode is searched too, and it is the one about the idea.
    assert _cited(draft) == ["ep/p1/s0"]
    assert all("help scale" not in block.text for block in draft.blocks)
