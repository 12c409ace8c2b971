"""Build-command wiring for the LLM engine: flags to a ready engine, the banner, the estimate.

`coursegen build` asks choice.py whether the LLM engine runs (`--engine llm`, or `auto` with an
endpoint configured), then `ready_llm_engine` here; `llm_engine_for_build` does both.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coursegen.config import Settings
from coursegen.engines.llm.answers import ConceptsAnswer
from coursegen.engines.llm.choice import LLMFlags, llm_settings_for_build
from coursegen.engines.llm.concepts import concept_budget, window_variables
from coursegen.engines.llm.engine import LLMEngine
from coursegen.engines.llm.passages import windows
from coursegen.ir import Episode
from coursegen.llm import Estimate, LLMClient, Usage, engine_banner, make_llm_client
from coursegen.llm.accounting import cost_of

# Rough sizes of the later stages' calls, for estimates only (measured on the seeds with the
# rule stub, rounded up): prompt tokens and answer tokens per call.
LESSON_CALL = (1600, 700)
ASSESSMENT_CALL = (2400, 1500)
CONCEPTS_PER_LESSON = 1.5


def llm_engine_for_build(flags: LLMFlags, out_dir: Path, say: Callable[[str], None]) -> LLMEngine | None:
    """A ready LLMEngine for this build (its banner printed), or None for the extractive engine."""
    settings = llm_settings_for_build(flags, out_dir)
    return None if settings is None else ready_llm_engine(settings, flags, out_dir, say)


def ready_llm_engine(
    settings: Settings, flags: LLMFlags, out_dir: Path, say: Callable[[str], None]
) -> LLMEngine:
    """The LLM engine of a build whose settings `llm_settings_for_build` gave, its banner printed."""
    client = make_llm_client(settings, build_dir=out_dir, batch_out=flags.batch_out, notify=say)
    say(engine_banner(settings))
    return LLMEngine(client, language=flags.language)


def estimate_build(client: LLMClient, episodes: list[Episode], language: str | None) -> tuple[Estimate, int]:
    """Rough calls, tokens and dollars of a build (concept calls exactly, later stages by size), and
    how many concept calls are not cached yet."""
    estimate = Estimate()
    concepts = 0
    uncached = 0
    for episode in episodes:
        for passages in windows(episode):
            variables = window_variables(episode, passages, language or episode.language)
            usage, cost, cached = client.estimate("concepts", variables, ConceptsAnswer)
            estimate.add(usage, cost, cached=cached)
            uncached += not cached
        concepts += concept_budget(sum(len(p.sentences) for p in episode.passages))
    merge = Usage(prompt_tokens=400 + 40 * concepts, completion_tokens=20 * concepts)
    estimate.add(merge, cost_of(merge, client.ledger.price), cached=False)
    lessons = max(1, round(concepts / CONCEPTS_PER_LESSON))
    for prompt_tokens, answer_tokens in (LESSON_CALL, ASSESSMENT_CALL):
        usage = Usage(prompt_tokens=prompt_tokens * lessons, completion_tokens=answer_tokens * lessons)
        cost = cost_of(usage, client.ledger.price)
        estimate.calls += lessons
        estimate.usage.add(usage)
        estimate.cost = None if cost is None or estimate.cost is None else estimate.cost + cost
    return estimate, uncached


def dry_run_report(
    engine: LLMEngine, sources: list[Path], patterns: list[str] | None, language: str | None
) -> str:
    """What `build --dry-run` prints: the estimate of calls, tokens and dollars; nothing is sent."""
    from coursegen.ingest import ingest_paths
    from coursegen.pipeline import select_episodes

    report = ingest_paths(list(sources))
    episodes = select_episodes(list(report.episodes), patterns)
    estimate, _ = estimate_build(engine.client, episodes, language)
    settings = engine.settings
    lines = [
        estimate.describe(settings.model, settings.shown_endpoint),
        f"episodes {len(episodes)}, concept windows {sum(len(windows(e)) for e in episodes)}; "
        "lesson and assessment calls are estimated from the expected number of lessons",
    ]
    if estimate.cost is not None and estimate.cost > settings.max_cost:
        lines.append(
            f"this is more than --max-cost {settings.max_cost:.2f}: the build would stop before "
            "its first call"
        )
    return "\n".join(lines)
