"""The build pipeline: ingest → concepts → merge → ramp → lessons → assessment → validate → write.

Every generation stage is cached by the hash of its inputs (see stage_cache), so rebuilding
unchanged sources recomputes nothing and a new episode recomputes only its own concepts plus
what depends on changed inputs. `build_course` is the whole build as one Python call.
"""

from __future__ import annotations

import fnmatch
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coursegen.call_meter import MeteredStageCache, engine_meter
from coursegen.changes import ChangeReport
from coursegen.config_file import find_config_file
from coursegen.course_io import save_course
from coursegen.engines import get_engine
from coursegen.engines.base import Engine
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import (
    ConceptGraph,
    EpisodeConcepts,
    RampOptions,
    RampPlan,
)
from coursegen.errors import CoursegenError, InputError, NothingIngested, UsageError
from coursegen.fsutil import atomic_write_text, sha256_text
from coursegen.ir import Course, Episode
from coursegen.pipeline_stages import (
    InterleavingEngine,
    ProgressHook,
    StageTimer,
    assembled_course,
    lessons_and_assessments,
    placement_stage,
)
from coursegen.regen import Regeneration, record_call_usage
from coursegen.source_paths import write_source_paths
from coursegen.stage_cache import StageCache, model_hash, stage_key

if TYPE_CHECKING:  # the ingest package is imported when a build ingests, not with this module
    from coursegen.ingest import IngestReport


class NoConceptsFound(CoursegenError):
    """The sources were read but hold nothing the engine could teach."""


@dataclass
class BuildOptions:
    """What `coursegen build` was asked for (all optional)."""

    engine: str = "auto"
    title: str | None = None
    course_id: str | None = None
    level: int = 1
    max_lessons: int | None = None
    episodes: list[str] | None = None  # episode ids or glob patterns to keep
    language: str | None = None
    use_cache: bool = True
    # A ready engine (e.g. an LLMEngine wired to a client by the CLI); overrides `engine`.
    engine_object: Engine | None = None
    # coursegen.toml with [course], [overrides] and [speakers.*] (default: DIR/coursegen.toml, else
    # ./coursegen.toml). From Python a missing file means no settings (tests isolate builds so);
    # the CLI's --config must exist.
    config: Path | None = None
    # Export formats to write after course.json (coursegen.export names, or "all"); none by
    # default from Python, all from the `build` command unless --no-export.
    export_formats: list[str] | None = None
    decks_dir: Path | None = None
    subdecks: bool = False  # Anki: one subdeck per lesson
    # Called as (stage, done, total) while the build runs; the CLI draws progress bars with it.
    progress: ProgressHook | None = None


@dataclass
class BuildResult:
    """What a build produced and what it cost."""

    course: Course
    course_path: Path
    ingest_errors: list[InputError] = field(default_factory=list)
    # Files of the source folders that no transcript format has (media, images, PDFs).
    ignored_files: list[Path] = field(default_factory=list)
    exported: list[Path] = field(default_factory=list)
    reused: dict[str, int] = field(default_factory=dict)
    recomputed: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    # Compared with the previous course.json of the folder (see coursegen.regen).
    changes: ChangeReport | None = None

    def summary(self) -> dict[str, Any]:
        """The closing figures of the build, as printed by the CLI."""
        course = self.course
        validation = course.build.validation
        return {
            "episodes": len(course.episodes),
            "concepts": len(course.concepts),
            "lessons": len(course.lessons),
            "questions": len(course.questions),
            "cards": len(course.cards),
            "dropped": len(course.build.dropped),
            # Concepts no surviving item tests: dropped by the build (RAMP015), or kept with
            # questions but no card or the other way round (RAMP011 warnings).
            "concepts_untested": sum(
                1 for d in course.build.dropped if d.stage == "assessment" and d.reason.startswith("RAMP015")
            ),
            "concepts_half_tested": validation.get("by_code", {}).get("RAMP011", 0),
            "citation_validity": validation.get("citation_validity_rate"),
            "validation_errors": validation.get("errors"),
            "model_calls": course.build.usage.get("model_calls", 0),
            "cost_usd": course.build.usage.get("cost_usd", 0.0),
            "engine": course.build.engine,
            "reused": sum(self.reused.values()),
            "recomputed": sum(self.recomputed.values()),
            "seconds": round(self.seconds, 2),
        }


def select_episodes(episodes: list[Episode], patterns: list[str] | None) -> list[Episode]:
    if not patterns:
        return episodes
    chosen = [e for e in episodes if any(fnmatch.fnmatch(e.id, p) or e.id == p for p in patterns)]
    if not chosen:
        raise UsageError(
            f"--episodes {', '.join(patterns)} matches none of the episodes",
            "episode ids: " + ", ".join(e.id for e in episodes),
        )
    return chosen


def default_title(graph: ConceptGraph, out_dir: Path) -> str:
    """A title from the course's most important concepts (or the folder name when there are none)."""
    top = sorted(graph.concepts, key=lambda c: (-c.importance, c.id))[:3]
    if not top:
        return out_dir.resolve().name.replace("-", " ").replace("_", " ").strip() or "Course"
    names = [c.name for c in top]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return joined[:1].upper() + joined[1:]


def episode_content_hash(episode: Episode) -> str:
    """Hash of what an episode says (not where its file lives): moving the folder keeps the cache."""
    return sha256_text(episode.model_dump_json(exclude={"source"}))


def _ingest(sources: Sequence[Path], cache: StageCache, config: Path) -> IngestReport:
    # Unchanged files are not parsed again (see coursegen.ingest_cache).
    from coursegen.ingest.speakers import load_speaker_map
    from coursegen.ingest_cache import ingest_paths_cached

    return ingest_paths_cached(list(sources), cache, load_speaker_map(config))


def build_course(sources: Sequence[Path], out_dir: Path, options: BuildOptions | None = None) -> BuildResult:
    """Build (or rebuild incrementally) the course from `sources` into `out_dir/course.json`."""
    options = options or BuildOptions()
    started = time.perf_counter()
    out_dir = Path(out_dir)
    engine = options.engine_object or get_engine(options.engine)
    if options.language and engine.name == "extractive" and not options.language.lower().startswith("en"):
        raise UsageError(
            f"--language {options.language}: the extractive engine writes courses in English only",
            "use --engine llm to write the course in another language",
        )
    meter = engine_meter(engine)
    cache = MeteredStageCache(out_dir / ".cache", enabled=options.use_cache, meter=meter)
    # Regeneration: overrides, fixed identity and the previous course (read before any work).
    regen = Regeneration.start(out_dir, options.course_id, options.title, options.config)
    timer = StageTimer()
    report = options.progress or (lambda stage, done, total: None)

    with timer.stage("ingest"):
        ingested = _ingest(sources, cache, find_config_file(out_dir, options.config))
        episodes, ingest_errors = list(ingested.episodes), list(ingested.errors)
        report("ingest", 1, 1)
    if not episodes:
        detail = "; ".join(e.message for e in ingest_errors[:3])
        raise NothingIngested(
            "no transcript could be read from the sources" + (f" ({detail})" if detail else ""),
            "pass transcript files or folders; `coursegen ingest FILE` shows what a file parses to",
        )
    episodes = regen.filter_episodes(select_episodes(episodes, options.episodes))
    sources_index = SourceIndex(episodes)
    prepare = getattr(engine, "prepare", None)
    if callable(prepare):
        prepare(episodes)  # e.g. the LLM engine's estimate and cost cap, before the first call

    with timer.stage("concepts"):
        keys = [
            (stage_key("concepts", engine.name, engine.versions["concepts"], episode_content_hash(e)), e.id)
            for e in episodes
        ]
        per_episode = cache.fetch_many(
            "concepts",
            keys,
            EpisodeConcepts,
            lambda missing: engine.concepts_batch([episodes[i] for i in missing]),
        )
        report("concepts", len(episodes), len(episodes))

    with timer.stage("merge"):
        key = stage_key("merge", engine.name, engine.versions["merge"], [model_hash(p) for p in per_episode])
        graph = cache.fetch("merge", key, ConceptGraph, "all concepts", lambda: engine.merge(per_episode))
        graph = regen.adjust_graph(graph)
        report("merge", 1, 1)

    if not graph.concepts:
        names = ", ".join(e.source for e in episodes[:3]) + (" …" if len(episodes) > 3 else "")
        raise NoConceptsFound(
            f"found no concept to teach in {len(episodes)} episode(s) ({names}): too short, or no "
            "technical terms recur in them",
            # Only an extractive build gains from the LLM engine here.
            "give longer transcripts" + (", or try --engine llm" if engine.name == "extractive" else ""),
        )
    ramp_options = RampOptions(max_lessons=options.max_lessons, start_level=options.level)
    with timer.stage("ramp"):
        key = stage_key("ramp", engine.name, engine.versions["ramp"], model_hash(graph), ramp_options)
        ramp = cache.fetch("ramp", key, RampPlan, "ramp", lambda: engine.ramp(graph, ramp_options))
        report("ramp", 1, 1)

    episode_terms = {p.episode: p.terms for p in per_episode}
    drafts, assessments = lessons_and_assessments(
        engine, cache, timer, graph, ramp, sources_index, report, episode_terms, regen.kept_cards(graph)
    )

    with timer.stage("placement"):
        placement = placement_stage(engine, cache, ramp, assessments)
        report("placement", 1, 1)
    # After the placement quiz is picked: its items stay in the lessons they place a learner at.
    # Cheap and deterministic, so not cached.
    if isinstance(engine, InterleavingEngine):
        assessments = engine.interleave(ramp, drafts, assessments, {p.question_id for p in placement})

    title = regen.title(lambda: default_title(graph, out_dir))
    language = options.language or (episodes[0].language if episodes else "en")
    with timer.stage("validate"):
        course = assembled_course(
            engine,
            cache,
            regen.course_id(title),
            title,
            language,
            episodes,
            graph,
            ramp,
            drafts,
            assessments,
            placement,
        )
        report("validate", 1, 1)
    course = regen.finish(course)
    course.build.timings = dict(timer.timings)
    # This build's spending only: stages served from the cache cost nothing.
    course.build.usage = dict(sorted(engine.usage().items()))
    course.build.model = engine.model
    record_call_usage(course, cache.this_build(), (cache.reused_calls, cache.reused_cost))
    with timer.stage("write"):
        course_path = _write_course(course, out_dir)
        _write_build_log(cache, out_dir, ingest_errors)
        write_source_paths(out_dir, course.episodes)
        cache.save_index()
        changes = regen.report(course)
    course.build.timings["write"] = timer.timings["write"]
    exported: list[Path] = []
    if options.export_formats:
        from coursegen.export import export_course

        with timer.stage("export"):
            exported = export_course(
                course, out_dir, options.export_formats, options.decks_dir, subdecks=options.subdecks
            )
            report("export", 1, 1)
    return BuildResult(
        course=course,
        course_path=course_path,
        ingest_errors=ingest_errors,
        ignored_files=list(ingested.ignored),
        exported=exported,
        reused=dict(cache.hits),
        recomputed=dict(cache.misses),
        seconds=time.perf_counter() - started,
        changes=changes,
    )


def _write_course(course: Course, out_dir: Path) -> Path:
    path = out_dir / "course.json"
    save_course(course, path)
    return path


def _write_build_log(cache: StageCache, out_dir: Path, ingest_errors: list[InputError]) -> None:
    """What this build reused and recomputed, and why (kept out of course.json, which must not churn)."""
    log = {
        "reused": dict(sorted(cache.hits.items())),
        "recomputed": dict(sorted(cache.misses.items())),
        "why": [{"stage": s, "item": i, "reason": r} for s, i, r in cache.recomputed],
        "ingest_errors": [e.message for e in ingest_errors],
    }
    atomic_write_text(out_dir / ".cache" / "last_build.json", json.dumps(log, indent=2) + "\n")
