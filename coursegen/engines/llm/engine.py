"""LLMEngine: the Engine protocol with a language model writing concepts, merges, lessons and questions.

Stage methods are called from the pipeline's worker threads; each runs its model calls on
one shared event loop (`LoopThread`), where the LLM layer's limiter bounds how many are in
flight (--concurrency). Ramp and placement are rule-based, shared with the extractive engine.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from pydantic import BaseModel

from coursegen.citations import EpisodeIndex
from coursegen.config import Settings
from coursegen.engines.base import LessonContext
from coursegen.engines.extractive import ExtractiveEngine
from coursegen.engines.llm.asking import LoopThread
from coursegen.engines.llm.assessment import assess_lesson
from coursegen.engines.llm.concepts import episode_concepts
from coursegen.engines.llm.lessons import write_lesson
from coursegen.engines.llm.merge import merge_graph
from coursegen.engines.types import (
    ConceptGraph,
    EpisodeConcepts,
    LessonAssessment,
    LessonDraft,
    LessonPlan,
    PlacementChoice,
    RampOptions,
    RampPlan,
)
from coursegen.ingest.language import language_code
from coursegen.ir import Episode
from coursegen.llm import LLMClient, load_prompt
from coursegen.stage_cache import Uncacheable

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
PROMPTED_STAGES = {"concepts": "concepts", "merge": "merge", "lesson": "lesson", "assessment": "assessment"}
# Code that reshapes a stage's answers has a version too: results cached before it changed must
# not be reused (assessment post2: mcq options rotated to a hashed position).
POST_PROCESSING_VERSIONS = {"assessment": "-post2"}


class LLMEngine:
    """Model-written stages over the LLM layer; see the module docstring."""

    name = "llm"

    def __init__(self, client: LLMClient | None = None, *, language: str | None = None) -> None:
        if client is None:
            from coursegen.llm import make_llm_client, settings_from_flags

            client = make_llm_client(settings_from_flags())
        self.client = client
        self.settings: Settings = client.settings
        self.model: str | None = self.settings.model
        self.language = language
        self.note = (
            f"llm engine: concepts, merges, lessons and questions written by {self.settings.model} "
            f"from transcript passages shown with sentence ids; ramp and placement are rule-based"
        )
        model = self.settings.model
        self.versions = {
            stage: f"llm-{load_prompt(prompt, client.prompts_dir).version}-{model}-{language or 'source'}"
            + POST_PROCESSING_VERSIONS.get(stage, "")
            for stage, prompt in PROMPTED_STAGES.items()
        }
        self.versions.update({"ramp": "llm-ex-2", "placement": "llm-ex-1"})
        self._rules = ExtractiveEngine()
        self._loop: LoopThread | None = None
        self._lock = threading.Lock()
        self._indexes: dict[int, EpisodeIndex] = {}
        self._gc_frozen = False
        self._episodes: list[Episode] = []

    # -- Engine protocol -------------------------------------------------------------------------

    def concepts(self, episode: Episode) -> EpisodeConcepts:
        """The concepts of one episode, window by window."""
        result, transient = self._run(
            episode_concepts(self.client, episode, self._language(episode.language))
        )
        return _cacheable(result, transient)

    def merge(self, per_episode: list[EpisodeConcepts]) -> ConceptGraph:
        """Rule-based merging plus one model call for aliases, misspellings and prerequisites."""
        if self._episodes:
            # The assessment checks need each episode's timed anchors (fuzzy matching, cached per
            # episode; 0.23 s for seed 001, whose claims match no passage): compute them while
            # the loop only waits for this one call, not on the loop in the middle of the
            # assessment stage, where they held up every answer that had arrived.
            episodes, self._episodes = self._episodes, []
            threading.Thread(target=_claim_anchors, args=(episodes,), name="anchors", daemon=True).start()
        graph, transient = self._run(merge_graph(self.client, per_episode))
        return _cacheable(graph, transient)

    def ramp(self, graph: ConceptGraph, options: RampOptions) -> RampPlan:
        """Topological order into lessons of 1-3 concepts (rule-based)."""
        return self._rules.ramp(graph, options)

    def lesson(self, plan: LessonPlan, context: LessonContext) -> LessonDraft:
        """One lesson from the passages that explain its concepts."""
        draft, transient = self._run(
            write_lesson(self.client, plan, context, self._context_language(context))
        )
        return _cacheable(draft, transient)

    def assessment(self, plan: LessonPlan, draft: LessonDraft, context: LessonContext) -> LessonAssessment:
        """The lesson's questions and cards, checked item by item."""
        index = self._index(context)
        result, transient = self._run(
            assess_lesson(self.client, plan, draft, context, index, self._context_language(context))
        )
        return _cacheable(result, transient)

    # Batches: every missing item of a stage at once, side by side on the loop (bounded by
    # --concurrency); a result whose call failed for a reason that may pass comes back wrapped
    # in Uncacheable so the stage cache does not keep it.

    def concepts_batch(self, episodes: list[Episode]) -> list[EpisodeConcepts | Uncacheable]:
        """`concepts` for several episodes, all windows in flight together."""
        jobs = [episode_concepts(self.client, e, self._language(e.language)) for e in episodes]
        return [_wrap(value, transient) for value, transient in self._run(_gather(jobs))]

    def lesson_batch(self, items: list[tuple[LessonPlan, LessonContext]]) -> list[LessonDraft | Uncacheable]:
        """`lesson` for several lessons together."""
        jobs = [write_lesson(self.client, plan, ctx, self._context_language(ctx)) for plan, ctx in items]
        return [_wrap(value, transient) for value, transient in self._run(_gather(jobs))]

    def assessment_batch(
        self, items: list[tuple[LessonPlan, LessonDraft, LessonContext]]
    ) -> list[LessonAssessment | Uncacheable]:
        """`assessment` for several lessons together."""
        jobs = [
            assess_lesson(self.client, plan, draft, ctx, self._index(ctx), self._context_language(ctx))
            for plan, draft, ctx in items
        ]
        return [_wrap(value, transient) for value, transient in self._run(_gather(jobs))]

    @property
    def overlaps_assessments(self) -> bool:
        """Each lesson's assessment starts as soon as its draft is done, except in --batch-out
        mode, which writes one stage's requests per round."""
        return self.client.batch is None

    def lessons_with_assessments(
        self,
        lessons: list[tuple[int, LessonPlan, LessonContext]],
        assessments: list[tuple[int, LessonPlan, LessonDraft, LessonContext]],
        needs_assessment: Callable[[int, LessonDraft], bool],
    ) -> tuple[dict[int, LessonDraft | Uncacheable], dict[int, LessonAssessment | Uncacheable]]:
        """Lessons and assessments side by side on the loop; a new draft's assessment (when
        `needs_assessment` says the stage cache lacks it) follows it at once. By lesson index."""
        drafts: dict[int, LessonDraft | Uncacheable] = {}
        results: dict[int, LessonAssessment | Uncacheable] = {}

        async def assess(index: int, plan: LessonPlan, draft: LessonDraft, ctx: LessonContext) -> None:
            language = self._context_language(ctx)
            value, transient = await assess_lesson(self.client, plan, draft, ctx, self._index(ctx), language)
            results[index] = _wrap(value, transient)

        async def write_then_assess(index: int, plan: LessonPlan, ctx: LessonContext) -> None:
            draft, transient = await write_lesson(self.client, plan, ctx, self._context_language(ctx))
            drafts[index] = _wrap(draft, transient)
            if needs_assessment(index, draft):
                await assess(index, plan, draft, ctx)

        jobs = [write_then_assess(*item) for item in lessons] + [assess(*item) for item in assessments]
        self._run(_settle(jobs))
        return drafts, results

    def placement(self, ramp: RampPlan, assessments: list[LessonAssessment]) -> list[PlacementChoice]:
        """One question from lessons spread over the ramp (rule-based)."""
        return self._rules.placement(ramp, assessments)

    # -- build wiring ----------------------------------------------------------------------------

    def prepare(self, episodes: list[Episode]) -> None:
        """Before the first call: print the estimate and stop if it passes --max-cost."""
        from coursegen.engines.llm.wiring import estimate_build

        estimate, uncached_windows = estimate_build(self.client, episodes, self.language)
        if not uncached_windows:
            return  # a rebuild: later stages reuse cached results where their inputs did not change
        self.client.notify(estimate.describe(self.settings.model, self.settings.shown_endpoint))
        if self.client.batch is None:
            estimate.check_cap(self.settings.max_cost)
            self._run(self._warm_up())
            # The validators' word-frequency table takes ~0.5 s to load; load it while the
            # concept calls are out, not on the event loop in the middle of the assessment stage.
            threading.Thread(target=_load_word_frequencies, name="wordfreq-warm-up", daemon=True).start()
            self._episodes = list(episodes)
            # Everything made so far (modules, sources, tables) lives for the whole build: keep
            # it out of the cycle collector, whose full passes over it paused the event loop for
            # ~0.2 s each while answers waited. `close` gives it back.
            if not self._gc_frozen:
                gc.freeze()
                self._gc_frozen = True

    def usage(self) -> dict[str, Any]:
        """Model calls, tokens and cost of this run, for the build record."""
        summary = self.client.usage_summary()
        total = summary["total"]
        return {
            # Calls sent to the model; answers replayed from the cache are counted apart.
            "model_calls": total["calls"] - total["cached_calls"],
            "cached_answers": total["cached_calls"],
            "tokens_in": total["prompt_tokens"],
            "tokens_out": total["completion_tokens"],
            "cost_usd": total["cost_usd"] if total["cost_usd"] is not None else 0.0,
            "cost_known": total["cost_usd"] is not None,
            "model": summary["model"],
            "endpoint": summary["endpoint"],
            "mode": summary["mode"],
            "stages": summary["stages"],
        }

    def close(self) -> None:
        """Stop the loop and close connections and the cache."""
        if self._loop is not None:
            self._loop.stop(self.client.aclose)
            self._loop = None
        self.client.close()
        if self._gc_frozen:
            gc.unfreeze()
            self._gc_frozen = False
        self._episodes = []

    # -- internals -------------------------------------------------------------------------------

    async def _warm_up(self) -> None:
        # Make the HTTP client on the loop that will use it now (~0.3 s), not inside the first
        # stage's calls. `_bind_loop` is what arun would do first; doing it here keeps the client.
        self.client._bind_loop()
        self.client.transport.async_client()

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        with self._lock:
            if self._loop is None:
                self._loop = LoopThread()
            loop = self._loop
        return loop.run(coro)

    def _language(self, source_language: str) -> str:
        # The episode's language comes from the file and lands in the system message: only a
        # code-shaped value may (the user's own --language is trusted as given).
        return self.language or language_code(source_language) or "en"

    def _context_language(self, context: LessonContext) -> str:
        first = next(iter(sorted(context.sources.episodes)), None)
        return self._language(context.sources.episodes[first].language if first else "en")

    def _index(self, context: LessonContext) -> EpisodeIndex:
        with self._lock:
            key = id(context.sources)
            if key not in self._indexes:
                self._indexes = {key: EpisodeIndex(context.sources.episodes.values())}
            return self._indexes[key]


def _load_word_frequencies() -> None:
    from coursegen.validate.citations import key_terms

    key_terms("reinforcement learning")


def _claim_anchors(episodes: list[Episode]) -> None:
    from coursegen.citations import claim_anchors

    index = EpisodeIndex(episodes)
    for episode in episodes:
        claim_anchors(episode, index)  # cached per episode object: the assessment checks reuse it


async def _gather(jobs: list[Coroutine[Any, Any, tuple[M, bool]]]) -> list[tuple[M, bool]]:
    """All jobs to the end (in --batch-out mode each writes its request), then the first error."""
    results = await asyncio.gather(*jobs, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [r for r in results if not isinstance(r, BaseException)]


async def _settle(jobs: list[Coroutine[Any, Any, None]]) -> None:
    """All jobs to the end, then the first error (as `_gather`)."""
    for result in await asyncio.gather(*jobs, return_exceptions=True):
        if isinstance(result, BaseException):
            raise result


def _wrap(value: M, transient: bool) -> M | Uncacheable:
    return Uncacheable(value) if transient else value


def _cacheable(value: M, transient: bool) -> M:
    """Return the value, or signal the stage cache not to store it (a failure that may pass)."""
    if transient:
        raise Uncacheable(value)
    return value
