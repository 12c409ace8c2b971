"""What a concept's definition and first quote may be: things the speakers assert as explanation."""

from __future__ import annotations

import re

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.assertions import (
    GARBLED,
    MISHEARD,
    REPORTED,
    SETUP,
    TRAILER,
    AssertionIndex,
)
from coursegen.engines.extractive.assessment import _asserted
from coursegen.engines.extractive.concepts import extract_concepts
from coursegen.engines.extractive.merge import merge_concepts
from coursegen.engines.extractive.speech import definition_score, garbled_speech, is_ad, reported_view
from coursegen.engines.extractive.statements import more_mentions
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import Cite, ConceptCandidate, ConceptGraph, EpisodeConcepts, GraphConcept
from coursegen.ir import Episode, Passage, Sentence

SPARSE = re.compile(r"\bsparse routing\b", re.I)


def _episode(lines: list[str], seconds_apart: float | None = None) -> Episode:
    """One passage per line group of six, sentence by sentence, optionally timed."""
    passages = []
    for p_index in range(0, len(lines), 6):
        number = p_index // 6 + 1
        sentences = [
            Sentence(
                id=f"ep/p{number}/s{i + 1}",
                text=text,
                start=None if seconds_apart is None else (p_index + i) * seconds_apart,
                line_start=p_index + i + 1,
                line_end=p_index + i + 1,
            )
            for i, text in enumerate(lines[p_index : p_index + 6])
        ]
        passages.append(
            Passage(id=f"ep/p{number}", line_start=p_index + 1, line_end=p_index + 6, sentences=sentences)
        )
    return Episode(
        id="ep", title="A talk", source="ep.txt", sha256="0" * 64, format="plain-text", passages=passages
    )


def test_reported_disputed_and_guessed_views_are_not_assertions() -> None:
    assert reported_view("People will say that sparse routing is just a trick to save memory.", SPARSE)
    assert reported_view("Some think sparse routing makes the model slower to train.", SPARSE)
    assert reported_view("I'm hesitant to say that sparse routing is not doing anything new.", SPARSE)
    assert reported_view("I disagree that sparse routing is what limits these systems.", SPARSE)
    assert reported_view("So you think sparse routing will stay the default in ten years.", SPARSE)
    assert reported_view("Maybe sparse routing could probably help a little with that.", SPARSE)
    # Compared with a view, the speaker still asserts; and a plain statement asserts.
    assert not reported_view("Sparse routing is a lot worse than the average person thinks.", SPARSE)
    assert not reported_view("Sparse routing sends each token to a few experts of the layer.", SPARSE)


def test_restarts_fragments_and_cut_captions_are_garbled() -> None:
    assert garbled_speech("Can you can you use sparse routing to send tokens to experts?", SPARSE, True)
    assert garbled_speech("It's a very simple it's like sparse routing for the whole layer.", SPARSE, True)
    assert garbled_speech("Sparse routing is allow allowing the layer to grow cheaply.", SPARSE, True)
    assert garbled_speech("Sparse routing, yeah.", SPARSE, True)  # hardly a word besides the name
    assert garbled_speech("Sparse routing sends each token to a few experts because", SPARSE, True)
    assert not garbled_speech("Sparse routing sends each token to a few experts of the layer.", SPARSE, True)
    # One doubled short word is a stumble a reader skips.
    assert not garbled_speech(
        "Sparse routing sends each token to to a few experts of the layer.", SPARSE, True
    )


# A guest's explanation, the host's set-up and question, and the guest's answer.
HOST_QUESTION = [
    "Sparse routing sends each token to a few experts of the layer.",
    "It keeps the cost of a token low while the model grows.",
    "Sparse routing has been used in many of the largest models lately.",
    "How do you decide how many experts a token should visit?",
    "Yeah, sparse routing picks two experts for each token in our models.",
    "That choice keeps the compute per token nearly constant.",
]


def test_a_host_question_and_its_set_up_are_found_from_the_text() -> None:
    episode = _episode(HOST_QUESTION)
    index = AssertionIndex(episode, cased=True)
    flaw = index.flaw  # set-up: the sentences right before a question the next speaker answers
    assert flaw(["ep/p1/s3"], episode.passages[0].sentences[2].text, SPARSE) == SETUP
    assert flaw(["ep/p1/s4"], episode.passages[0].sentences[3].text, SPARSE) == SETUP
    assert flaw(["ep/p1/s1"], episode.passages[0].sentences[0].text, SPARSE) is None
    assert flaw(["ep/p1/s5"], episode.passages[0].sentences[4].text, SPARSE) is None


def test_a_cold_open_clip_said_again_later_is_a_trailer() -> None:
    clip = "Sparse routing is the reason these giant models are affordable at all."
    filler = [f"We measured the cost of run number {n} against the dense baseline model." for n in range(40)]
    episode = _episode(
        [clip, "Today I'm speaking with a researcher who builds them."] + filler + [clip], 10.0
    )
    index = AssertionIndex(episode, cased=True)
    first, last = episode.passages[0].sentences[0], episode.passages[-1].sentences[-1]
    assert index.flaw([first.id], first.text, SPARSE) == TRAILER
    assert index.flaw([last.id], last.text, SPARSE) is None


def test_the_definition_is_an_asserted_quote_that_says_what_the_concept_does() -> None:
    lines = [
        "People will say sparse routing is only a memory trick for big labs.",
        "Sparse routing sends each token to a few experts, so the layer can grow without the cost.",
        "I'm hesitant to say that sparse routing is not a kind of ensemble.",
        "Sparse routing and and sparse routing, yeah, it's it's the thing.",
        "The experts of a layer specialise once sparse routing has trained for a while.",
        "Sparse routing needs a balancing loss because some experts get every token otherwise.",
    ] * 3
    concepts = extract_concepts(_episode(lines)).concepts
    sparse = next(c for c in concepts if c.key == "sparse-routing")
    # Not the reported view, the disputed one or the garble, though each names it first.
    assert sparse.definition in (lines[1], lines[4], lines[5])


def _candidate(episode: str, definition: str, importance: float) -> EpisodeConcepts:
    cite = Cite(episode=episode, sentence_ids=[f"{episode}/p1/s1"])
    candidate = ConceptCandidate(
        key="sparse-routing",
        name="sparse routing",
        definition=definition,
        evidence=[cite],
        importance=importance,
        mentions=5,
    )
    return EpisodeConcepts(episode=episode, episode_sha256="0" * 64, concepts=[candidate])


def test_merge_takes_the_definition_that_says_best_what_the_idea_is_and_leads_with_its_quote() -> None:
    vague = _candidate("a", "So I think it's been nice that sparse routing got around, thank God.", 1.0)
    clear = _candidate(
        "b", "Sparse routing is the way a layer sends each token to a few of its experts.", 0.5
    )
    concept = merge_concepts([vague, clear]).concepts[0]
    assert concept.definition.startswith("Sparse routing is the way")
    assert concept.evidence[0].episode == "b"
    assert definition_score(clear.concepts[0].definition, SPARSE) > definition_score(
        vague.concepts[0].definition, SPARSE
    )


def test_flaw_names_are_distinct() -> None:
    assert len({SETUP, TRAILER, REPORTED, GARBLED}) == 4


def test_a_true_false_claim_must_be_asserted_not_a_set_up_or_a_report() -> None:
    episode = _episode(HOST_QUESTION)
    context = LessonContext(graph=ConceptGraph(concepts=[]), sources=SourceIndex([episode]))
    sentences = episode.passages[0].sentences

    def claim(i: int) -> tuple[Cite, str]:
        return Cite(episode="ep", sentence_ids=[sentences[i].id]), sentences[i].text

    assert _asserted(claim(0), SPARSE, context)
    assert _asserted(claim(4), SPARSE, context)
    # The host's set-up of a question is no claim the course may judge true or false.
    assert not _asserted(claim(2), SPARSE, context)
    # A report of someone's view, in an episode the context does not hold, is judged by its words.
    reported = (Cite(episode="other", sentence_ids=["x/p1/s1"]), "People will say sparse routing is a trick.")
    assert not _asserted(reported, SPARSE, context)


def sparse_routing_talk(lines: list[str]) -> tuple[Episode, GraphConcept, LessonContext]:
    """A one-passage talk about sparse routing, the concept citing its first sentence."""
    episode = _episode(lines)
    concept = GraphConcept(
        id="sparse-routing",
        name="sparse routing",
        definition=episode.passages[0].sentences[0].text,
        evidence=[Cite(episode="ep", sentence_ids=["ep/p1/s1"])],
        episodes=["ep"],
    )
    context = LessonContext(graph=ConceptGraph(concepts=[concept]), sources=SourceIndex([episode]))
    return episode, concept, context


def test_more_mentions_for_questions_skip_sponsor_reads() -> None:
    _, concept, context = sparse_routing_talk(
        [
            "Sparse routing sends each token to a few experts of the layer.",
            "Our sponsor just announced a partnership with a sparse routing startup.",
            "Sparse routing keeps the cost per token nearly constant as the model grows.",
        ]
    )
    found = more_mentions(concept, context)
    assert [cite.sentence_ids for cite, _ in found] == [["ep/p1/s3"]]
    assert is_ad("Our sponsor just announced a partnership with a sparse routing startup.")
    assert not is_ad("Sparse routing keeps the cost per token nearly constant as the model grows.")


def test_a_one_off_near_miss_of_a_repeated_technical_phrase_is_misheard() -> None:
    from coursegen.engines.extractive.misheard import misheard_sentences

    lines = [
        "Inference time is where the model thinks before it answers.",
        "You spend inference time on harder problems.",
        "More inference time gives better answers on math.",
        "The big area of improvement is entrance time for these models.",
        "We walked the path forward together.",
        "The path forward is clear.",
        "Our path forward needs funding.",
        "I found the path toward the city.",
    ]
    episode = _episode(lines)
    sentences = [s for p in episode.passages for s in p.sentences]
    found = misheard_sentences(sentences)
    # "entrance time" beside a repeated, rare "inference time" is a mishearing; "path toward"
    # beside a repeated "path forward" is a choice of common words.
    assert found == {sentences[3].id}
    index = AssertionIndex(episode, cased=True)
    assert index.flaw([sentences[3].id], sentences[3].text, re.compile(r"\bentrance time\b")) == MISHEARD
    assert index.flaw([sentences[1].id], sentences[1].text, re.compile(r"\binference time\b")) is None


def test_the_lines_of_a_sponsor_read_are_no_assertions() -> None:
    from coursegen.engines.extractive.assertions import SPONSOR

    lines = [
        "Sparse routing sends each token to a few experts.",
        "A quick word from our sponsor, Acme Data.",
        "Acme's team builds benchmarks for sparse routing at scale.",
        "Labs get high-quality data from its foundry.",
        "To learn more, go to acme.com/podcast.",
        "Back to the talk: sparse routing keeps the cost per token flat.",
    ]
    episode = _episode(lines)
    ids = [s.id for p in episode.passages for s in p.sentences]
    index = AssertionIndex(episode, cased=True)
    # The lines between the ad's opening and its web address name no ad word, yet belong to it.
    assert [index.is_sponsor_read([sid]) for sid in ids] == [False, True, True, True, True, False]
    assert index.flaw([ids[2]], lines[2], SPARSE) == SPONSOR
    assert index.flaw([ids[5]], lines[5], SPARSE) is None
