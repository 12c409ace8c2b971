"""Build-command wiring for the LLM engine: flags to a ready engine, the banner, the estimate.

`coursegen build` calls `llm_engine_for_build`; it returns None when the extractive engine
should run (`--engine extractive`, or `auto` with no endpoint configured).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coursegen.config import Settings
from coursegen.engines.llm.answers import ConceptsAnswer
from coursegen.engines.llm.concepts import concept_budget, window_variables
from coursegen.engines.llm.engine import LLMEngine
from coursegen.engines.llm.passages import windows
from coursegen.errors import UsageError
from coursegen.ir import Episode
from coursegen.llm import Estimate, LLMClient, Usage, engine_banner, make_llm_client, settings_from_flags
from coursegen.llm.accounting import cost_of

# Rough sizes of the later stages' calls, for estimates only (measured on the seeds with the
# rule stub, rounded up): prompt tokens and answer tokens per call.
LESSON_CALL = (1600, 700)
ASSESSMENT_CALL = (2400, 1500)
CONCEPTS_PER_LESSON = 1.5


@dataclass
class LLMFlags:
    """The build flags that concern the LLM engine (None = not given)."""

    engine: str = "auto"
    model: str | None = None
    base_url: str | None = None
    concurrency: int | None = None
    max_cost: float | None = None
    dry_run: bool = False
    batch_out: Path | None = None
    language: str | None = None
    config: Path | None = None  # --config; default: OUT/coursegen.toml, else ./coursegen.toml


def wants_llm(choice: str, settings: Settings) -> bool:
    """True for --engine llm, or auto with an endpoint or key configured."""
    if choice == "llm":
        return True
    return choice == "auto" and settings.llm_configured


def llm_engine_for_build(flags: LLMFlags, out_dir: Path, say: Callable[[str], None]) -> LLMEngine | None:
    """A ready LLMEngine for this build (its banner printed), or None for the extractive engine."""
    settings = settings_from_flags(
        model=flags.model,
        base_url=flags.base_url,
        concurrency=flags.concurrency,
        max_cost=flags.max_cost,
        config_path=flags.config,
        out_dir=out_dir,
    )
    if not wants_llm(flags.engine, settings):
        if flags.dry_run or flags.batch_out:
            raise UsageError(
                "--dry-run and --batch-out need the llm engine",
                "pass --engine llm with --base-url (or set OPENAI_BASE_URL / OPENAI_API_KEY)",
            )
        return None
    offline = flags.dry_run or flags.batch_out is not None
    if not settings.api_key and not settings.base_url and not settings.is_local and not offline:
        # Say so before any estimate or notice: nothing can be sent to a hosted API without a key.
        raise UsageError(
            f"the llm engine has no endpoint it can use: no API key for {settings.shown_endpoint}",
            "set OPENAI_API_KEY, or point --base-url / OPENAI_BASE_URL at a local server "
            "(or build with --engine extractive, no model needed)",
        )
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
