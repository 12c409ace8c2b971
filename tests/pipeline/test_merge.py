"""The merge stage: one concept per idea (case, plural, clipping, ASR misspellings); acyclic prerequisites."""

from __future__ import annotations

import pytest

from coursegen.engines.extractive.merge import merge_concepts, same_idea
from coursegen.engines.extractive.prerequisites import (
    add_hanging_prerequisites,
    add_prerequisites,
    family_roots,
    head_families,
)
from coursegen.engines.types import Cite, ConceptCandidate, EpisodeConcepts, GraphConcept
from coursegen.fsutil import slugify


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Reinforcement Learning", "reinforcement learning"),
        ("world model", "world models"),
        ("neural net", "neural networks"),
        ("Noam Shazir", "Noam Shazeer"),
        ("Enthropike", "Anthropic"),
        # In these conversations an LLM and a language model are one idea: a size word
        # does not make a second concept (it made two near-identical lessons).
        ("language model", "large language models"),
    ],
)
def test_same_idea(a: str, b: str) -> None:
    assert same_idea(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("model", "large model"),
        ("inference", "interference"),
        ("reward model", "world model"),
        ("compute", "computer"),
    ],
)
def test_different_ideas(a: str, b: str) -> None:
    assert not same_idea(a, b)


def _cand(
    key: str,
    name: str,
    mentions: int = 3,
    generality: float = 0.5,
    related: list[str] | None = None,
    episode: str = "e1",
) -> ConceptCandidate:
    return ConceptCandidate(
        key=key,
        name=name,
        definition=f"{name} is a thing.",
        mentions=mentions,
        generality=generality,
        evidence=[Cite(episode=episode, sentence_ids=[f"{episode}/p0/s0"])],
        related=related or [],
        importance=0.5,
    )


def test_merge_keeps_the_most_mentioned_spelling_and_the_rest_as_aliases() -> None:
    e1 = EpisodeConcepts(episode="e1", episode_sha256="x", concepts=[_cand("noam-shazir", "Noam Shazir", 2)])
    e2 = EpisodeConcepts(
        episode="e2", episode_sha256="y", concepts=[_cand("noam-shazeer", "Noam Shazeer", 9, episode="e2")]
    )
    graph = merge_concepts([e2, e1])
    assert [c.id for c in graph.concepts] == ["noam-shazeer"]
    concept = graph.concepts[0]
    assert concept.aliases == ["Noam Shazir"] and concept.episodes == ["e1", "e2"]
    assert len(concept.evidence) == 2
    assert ("noam-shazeer", "Noam Shazir") in graph.merged


def test_prerequisites_from_containment_and_evidence() -> None:
    """An edge needs a reason a reader can see: the name inside the other's, or the other named
    in its evidence (and more general). Sharing passages alone ("related") makes no edge."""
    reward = _cand("reward-model", "reward model", generality=0.6, related=["test-time-compute"])
    ttc = _cand("test-time-compute", "test time compute", generality=0.3, related=["compute", "reward-model"])
    ttc.uses = ["reward-model"]
    ttc.co_mentions = {"reward-model": 2}
    ttc.explained_with = {"reward-model": 2}
    ec = EpisodeConcepts(
        episode="e1",
        episode_sha256="x",
        concepts=[_cand("compute", "compute", generality=0.9, related=["test-time-compute"]), ttc, reward],
    )
    graph = merge_concepts([ec])
    by_id = {c.id: c for c in graph.concepts}
    assert by_id["test-time-compute"].prerequisites[0] == "compute"
    assert "reward-model" in by_id["test-time-compute"].prerequisites
    assert by_id["compute"].prerequisites == []
    assert graph.broken_edges == []


def test_cooccurrence_alone_makes_no_prerequisite() -> None:
    """"imperfect information" needed "compute" only because both came up in one short talk."""
    ec = EpisodeConcepts(
        episode="e1",
        episode_sha256="x",
        concepts=[
            _cand("compute", "compute", generality=0.95, related=["imperfect-information"]),
            _cand("imperfect-information", "imperfect information", generality=0.4, related=["compute"]),
        ],
    )
    by_id = {c.id: c for c in merge_concepts([ec]).concepts}
    assert by_id["imperfect-information"].prerequisites == []
    assert by_id["imperfect-information"].related == ["compute"]


def test_cycles_are_broken_and_reported() -> None:
    from coursegen.engines.extractive.merge import _break_cycles
    from coursegen.engines.types import GraphConcept

    concepts = [
        GraphConcept(id="a", name="a", definition="", prerequisites=["b"]),
        GraphConcept(id="b", name="b", definition="", prerequisites=["c"]),
        GraphConcept(id="c", name="c", definition="", prerequisites=["a"]),
    ]
    broken = _break_cycles(concepts)
    assert len(broken) == 1 and "cycle" in broken[0].reason
    remaining = {(c.id, p) for c in concepts for p in c.prerequisites}
    assert (broken[0].concept, broken[0].prerequisite) not in remaining
    assert len(remaining) == 2


def _linked_episodes(shared: int, gd_mentions: int, explained: int | None = None) -> list[EpisodeConcepts]:
    """Gradient descent (one talk) named with neural network (both talks) in `shared` sentences."""
    gd = _cand("gradient-descent", "gradient descent", generality=0.3)
    gd.co_mentions = {"neural-network": shared}
    gd.explained_with = {"neural-network": shared if explained is None else explained}
    nn = _cand("neural-network", "neural network", generality=0.3)
    e1 = EpisodeConcepts(
        episode="e1",
        episode_sha256="x",
        concepts=[gd, nn],
        vocabulary={"gradient-descent": gd_mentions, "neural-network": 20},
    )
    e2 = EpisodeConcepts(episode="e2", episode_sha256="y", vocabulary={"neural-network": 15, "nn": 4})
    return [e1, e2]


def test_a_prerequisite_is_the_more_general_idea_named_with_it() -> None:
    """Named together in 3 of gradient descent's 10 sentences, and used in both talks (not one):
    neural network comes first."""
    by_id = {c.id: c for c in merge_concepts(_linked_episodes(3, 10)).concepts}
    assert by_id["neural-network"].generality > by_id["gradient-descent"].generality
    assert by_id["gradient-descent"].prerequisites == ["neural-network"]
    assert by_id["gradient-descent"].links == {"neural-network": 3}
    assert by_id["neural-network"].prerequisites == []


def test_two_loose_remarks_make_no_prerequisite() -> None:
    """Two sentences among forty naming gradient descent explain nothing with neural network;
    needing nothing else, it hangs from it all the same (see add_hanging_prerequisites)."""
    gd = _graph_concept("gradient-descent", 0.3, mentions=40)
    nn = _graph_concept("neural-network", 0.6, mentions=20)
    pair = {("gradient-descent", "neural-network"): 2}
    add_prerequisites([gd, nn], {}, pair, pair)
    assert gd.prerequisites == []
    add_hanging_prerequisites([gd, nn], pair)
    assert gd.prerequisites == ["neural-network"]


def test_between_ideas_as_general_the_one_explained_with_the_other_comes_after() -> None:
    """'In-context learning is doing gradient descent': named first, explained with the other."""
    icl = _cand("in-context-learning", "in-context learning", generality=0.4)
    icl.co_mentions = {"gradient-descent": 4}
    icl.explained_with = {"gradient-descent": 4}
    gd = _cand("gradient-descent", "gradient descent", generality=0.4)
    ec = EpisodeConcepts(
        episode="e1",
        episode_sha256="x",
        concepts=[icl, gd],
        vocabulary={"in-context-learning": 10, "gradient-descent": 10},
    )
    by_id = {c.id: c for c in merge_concepts([ec]).concepts}
    assert by_id["in-context-learning"].prerequisites == ["gradient-descent"]
    assert by_id["gradient-descent"].prerequisites == []


def test_an_episode_that_only_talks_about_an_idea_supports_the_concept_another_makes() -> None:
    """Seed 004 explains transformers ("You can train transformers on audio or video ...") but
    ranks them past its concept limit; seed 000 makes them a concept with weaker quotes."""
    own = EpisodeConcepts(episode="e1", episode_sha256="1", concepts=[_cand("transformer", "transformer")])
    talks = _cand("transformers", "Transformers", episode="e2")
    other = _cand("attention", "attention", episode="e2")
    second = EpisodeConcepts(episode="e2", episode_sha256="2", supporting=[talks, other])
    graph = merge_concepts([own, second])
    (concept,) = graph.concepts  # supporting candidates never become concepts themselves
    assert concept.id == "transformer"
    assert [c.episode for c in concept.evidence] == ["e1", "e2"]
    assert concept.episodes == ["e1"]


def test_supporting_quotes_of_the_concepts_own_episode_are_not_added_twice() -> None:
    own = EpisodeConcepts(
        episode="e1",
        episode_sha256="1",
        concepts=[_cand("transformer", "transformer")],
        supporting=[_cand("transformers", "transformers")],
    )
    (concept,) = merge_concepts([own]).concepts
    assert len(concept.evidence) == 1


def _used_in_one_sentence(after: int, together: int = 1) -> dict[str, GraphConcept]:
    """"test time compute"'s definition names "reward model" (more general) in `together` sentences,
    `after` of them naming it after test time compute."""
    reward = _cand("reward-model", "reward model", generality=0.9)
    # "compute" in its name: it needs something, so no sentence is read as a last resort
    # (see add_hanging_prerequisites).
    compute = _cand("compute", "compute", generality=0.9)
    ttc = _cand("test-time-compute", "test time compute", generality=0.1)
    ttc.uses = ["reward-model"]
    ttc.co_mentions = {"reward-model": together}
    ttc.explained_with = {"reward-model": after}
    ec = EpisodeConcepts(
        episode="e1",
        episode_sha256="x",
        concepts=[ttc, reward, compute],
        vocabulary={"reward-model": 30, "test-time-compute": 5, "compute": 30},
    )
    return {c.id: c for c in merge_concepts([ec]).concepts}


def test_a_lone_definition_sentence_makes_no_prerequisite() -> None:
    assert _used_in_one_sentence(after=1)["test-time-compute"].prerequisites == ["compute"]
    needs = _used_in_one_sentence(after=2, together=2)["test-time-compute"].prerequisites
    assert needs == ["compute", "reward-model"]


def test_sentences_naming_the_other_idea_first_make_no_prerequisite() -> None:
    """"On the scale of a transformer": scale named first says nothing of what the transformer needs."""
    assert _used_in_one_sentence(after=0, together=3)["test-time-compute"].prerequisites == ["compute"]


def test_heads_shared_by_names_make_families_rooted_at_the_widest_member() -> None:
    names = ["machine learning", "reinforcement learning", "in-context learning", "pre-training",
             "post-training", "compute"]
    concepts = [GraphConcept(id=slugify(n), name=n, definition="", generality=0.5) for n in names]
    concepts[0].generality = 0.6  # the more everyday name breaks the tie in spread
    assert head_families(concepts) == {
        "learning": ["in-context-learning", "machine-learning", "reinforcement-learning"],
        "training": ["post-training", "pre-training"],
    }
    spread = {"machine-learning": 2, "reinforcement-learning": 2, "in-context-learning": 1,
              "pre-training": 3, "post-training": 1, "compute": 4}
    roots = family_roots(concepts, spread)
    assert {roots[c] for c in ("machine-learning", "reinforcement-learning", "in-context-learning")} == {
        "machine-learning"
    }
    assert roots["post-training"] == "pre-training" and "compute" not in roots


def _field_episodes(with_family: bool) -> list[EpisodeConcepts]:
    """"machine learning" is named less than "scaling"; "reinforcement learning" is a kind of it."""
    field = _cand("machine-learning", "machine learning", generality=0.5)
    scaling = _cand("scaling", "scaling", generality=0.5)
    kinds = [_cand("reinforcement-learning", "reinforcement learning", generality=0.3, episode="e2")]
    e1 = EpisodeConcepts(
        episode="e1", episode_sha256="x", concepts=[field, scaling],
        vocabulary={"machine-learning": 5, "scaling": 20},
    )
    e2 = EpisodeConcepts(
        episode="e2", episode_sha256="y", concepts=kinds if with_family else [],
        vocabulary={"reinforcement-learning": 20, "scaling": 3},
    )
    return [e1, e2]


def test_a_family_root_counts_its_whole_family() -> None:
    alone = {c.id: c for c in merge_concepts(_field_episodes(False)).concepts}
    family = {c.id: c for c in merge_concepts(_field_episodes(True)).concepts}
    assert alone["machine-learning"].generality < alone["scaling"].generality
    assert family["machine-learning"].generality > family["scaling"].generality
    assert family["machine-learning"].mentions == 5  # its own mentions: only its generality grows


def test_an_idea_named_with_many_others_is_more_general() -> None:
    """Same spread, mentions and words: the one the other ideas' sentences name is the foundation."""
    hub = _cand("token", "token")
    loner = _cand("autocomplete", "autocomplete")
    others = [_cand(f"idea-{i}", f"idea {i}") for i in range(3)]
    for other in others:
        other.co_mentions = {"token": 1}
    ec = EpisodeConcepts(
        episode="e1", episode_sha256="x", concepts=[hub, loner, *others],
        vocabulary={"token": 10, "autocomplete": 10, **{o.key: 10 for o in others}},
    )
    by_id = {c.id: c for c in merge_concepts([ec]).concepts}
    assert by_id["token"].generality > by_id["autocomplete"].generality


def test_a_category_taught_with_several_kinds_gains_generality() -> None:
    """Same use, same words: the root of a family of three kinds ranks above a loner's root."""
    root = _cand("machine-learning", "machine learning")
    kinds = [_cand(f"{w}-learning", f"{w} learning", episode="e2") for w in ("deep", "online")]
    lone = _cand("cloud-computing", "cloud computing")
    lone_kind = _cand("edge-computing", "edge computing", episode="e2")
    e1 = EpisodeConcepts(
        episode="e1", episode_sha256="x", concepts=[root, lone],
        vocabulary={"machine-learning": 5, "cloud-computing": 5},
    )
    e2 = EpisodeConcepts(
        episode="e2", episode_sha256="y", concepts=[*kinds, lone_kind],
        vocabulary={
            "deep-learning": 3,
            "online-learning": 2,
            "edge-computing": 5,
            "machine-learning": 1,
            "cloud-computing": 1,
        },
    )
    by_id = {c.id: c for c in merge_concepts([e1, e2]).concepts}
    assert by_id["machine-learning"].generality == pytest.approx(by_id["cloud-computing"].generality + 0.05)


def _idea(cid: str, generality: float, mentions: int) -> GraphConcept:
    name = cid.replace("-", " ")
    return GraphConcept(id=cid, name=name, definition="", generality=generality, mentions=mentions)


def _peers(token_generality: float, lm_first: int, token_first: int) -> list[str]:
    """"language model" (70 sentences) and "token" (40) named together in two sentences."""
    lm = _idea("language-model", 0.8, 70)
    token = _idea("token", token_generality, 40)
    explained = {("language-model", "token"): lm_first, ("token", "language-model"): token_first}
    add_prerequisites([lm, token], {}, {("language-model", "token"): 2}, explained)
    return lm.prerequisites


def test_between_peers_the_order_they_are_named_in_decides_however_rare() -> None:
    assert _peers(0.75, lm_first=2, token_first=0) == ["token"]
    assert _peers(0.75, lm_first=1, token_first=1) == []  # no order: no edge
    assert _peers(0.5, lm_first=2, token_first=0) == []  # a much narrower idea is no peer


def _applied(network_sentences: int) -> list[str]:
    """Gradient descent named with "neural network" in `network_sentences` sentences (mostly
    after it), and with "pre-training" in two, one each way ("gradient descent on pre-training")."""
    gd = _idea("gradient-descent", 0.4, 12)
    nn = _idea("neural-network", 0.7, 40)
    pt = _idea("pre-training", 0.63, 22)
    shared = {
        ("gradient-descent", "neural-network"): network_sentences,
        ("gradient-descent", "pre-training"): 2,
    }
    explained = {
        ("gradient-descent", "neural-network"): 1,
        ("neural-network", "gradient-descent"): network_sentences - 1,
        ("gradient-descent", "pre-training"): 1,
        ("pre-training", "gradient-descent"): 1,
    }
    add_prerequisites([gd, nn, pt], {}, shared, explained)
    return gd.prerequisites


def test_a_mere_remark_gives_way_to_a_much_stronger_prerequisite() -> None:
    assert _applied(5) == ["neural-network"]
    assert _applied(3) == ["neural-network", "pre-training"]  # not twice as strong: both kept


def _graph_concept(cid: str, generality: float, **kw: object) -> GraphConcept:
    return GraphConcept(id=cid, name=cid, definition="", generality=generality, **kw)  # type: ignore[arg-type]


def test_an_idea_that_needs_nothing_hangs_from_broader_ideas_a_sentence_names_with_it() -> None:
    """A narrow idea no explanation ties to anything needs its closest broader companion when a
    sentence names the two ("mixture of experts ... for some token"), and the broader ideas a
    sentence explains it with (names after it). A broad idea told once beside a broader one is a
    foundation, and sharing passages alone is no reason a reader can see: both still need nothing."""
    concepts = [
        _graph_concept("architecture", 0.9),
        _graph_concept("platform", 0.95),
        _graph_concept("experts", 0.3, related=["router", "architecture"], links={"architecture": 1}),
        _graph_concept("router", 0.25, related=["experts"]),
        _graph_concept("foundation", 0.75, related=["router"], links={"architecture": 2}),
        _graph_concept("project", 0.2, links={"platform": 1}),
        _graph_concept("scale", 0.2, links={"platform": 1}),
        _graph_concept("aside", 0.2, related=["architecture"]),
    ]
    add_hanging_prerequisites(concepts, {("experts", "platform"): 1, ("project", "platform"): 1})
    needs = {c.id: c.prerequisites for c in concepts}
    assert needs["experts"] == ["architecture", "platform"]
    assert needs["project"] == ["platform"]
    assert needs["scale"] == []  # named only after the broader idea: it explains nothing with it
    assert needs["foundation"] == [] and needs["aside"] == [] and needs["router"] == []


def test_an_idea_does_not_hang_from_what_builds_on_it() -> None:
    concepts = [
        _graph_concept("broad", 0.9, prerequisites=["narrow"]),
        _graph_concept("narrow", 0.3, related=["broad"], links={"broad": 1}),
    ]
    add_hanging_prerequisites(concepts, {})
    assert concepts[1].prerequisites == []
