"""Citation checks: resolve, quote integrity, verbatim in the current source, times, link, support."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from coursegen.citations import CitationError, deep_link, locate_quote, quote_of, resolve
from coursegen.ir import Citation
from coursegen.textnorm import STOP_WORDS, content_words, stem, words
from coursegen.validate.context import CheckContext
from coursegen.validate.findings import Finding, finding

MIN_QUOTE_WORDS = 6
MAX_QUOTE_WORDS = 80
_TIME_SLACK = 0.01


@dataclass(frozen=True, slots=True)
class CitationResult:
    """The outcome of checking one citation, independent of the item that carries it."""

    problems: tuple[tuple[str, str], ...]  # (code, reason)
    valid: bool  # resolves, quote intact, verbatim in the current source, times and link right
    verified: bool  # the source file was available for the verbatim check


def _times_problem(citation: Citation, start: float | None, end: float | None) -> str | None:
    if start is not None:
        if citation.time_estimated:
            return "marked as estimated although the source has times"
        if citation.start is None or abs(citation.start - start) > _TIME_SLACK:
            return f"start {citation.start} differs from the sentences' time {start}"
        if (end is None) != (citation.end is None) or (
            end is not None and citation.end is not None and abs(citation.end - end) > _TIME_SLACK
        ):
            return f"end {citation.end} differs from the sentences' time {end}"
        return None
    if citation.start is not None and not citation.time_estimated:
        return "has a time the source does not give, without time_estimated"
    if citation.start is None and citation.time_estimated:
        return "marked as estimated but carries no time"
    return None


def check_citation(citation: Citation, ctx: CheckContext) -> CitationResult:
    """Check one citation against the episode index and its current source file (cached)."""
    key = (
        citation.episode,
        tuple(citation.sentence_ids),
        citation.quote,
        citation.start,
        citation.end,
        citation.time_estimated,
        citation.url,
    )
    cached = ctx.citation_results.get(key)
    if isinstance(cached, CitationResult):
        return cached
    result = _check_citation_uncached(citation, ctx)
    ctx.citation_results[key] = result
    return result


def _check_citation_uncached(citation: Citation, ctx: CheckContext) -> CitationResult:
    index = ctx.index
    episode = index.episodes.get(citation.episode)
    if episode is None:
        return CitationResult((("CIT002", f"unknown episode {citation.episode!r}"),), False, False)
    missing = [
        sid
        for sid in citation.sentence_ids
        if sid not in index.sentences or index.sentences[sid].episode.id != episode.id
    ]
    if missing or not citation.sentence_ids:
        reason = f"sentence {missing[0]!r} not in episode {episode.id!r}" if missing else "no sentence ids"
        return CitationResult((("CIT002", reason),), False, False)
    try:
        refs = resolve(index, episode.id, citation.sentence_ids)
    except CitationError as exc:
        return CitationResult((("CIT003", exc.message),), False, False)
    problems: list[tuple[str, str]] = []
    sentences = [ref.sentence for ref in refs]
    materialized = quote_of(sentences)
    if citation.quote != materialized:
        located = locate_quote(episode, citation.quote, min_score=95.0)
        if located and located != list(citation.sentence_ids):
            span = located[0] if len(located) == 1 else f"{located[0]}..{located[-1]}"
            problems.append(("CIT005", f"quote is the text of {span}, not of the cited sentences"))
        else:
            problems.append(("CIT004", "stored quote differs from the cited sentences' text"))
    turn = next((r for r in refs[1:] if r.passage.opens_turn(r.index_in_passage)), None)
    if turn is not None:
        problems.append(("CIT014", f"quote runs into another speaker's turn at {turn.sentence.id}"))
    verified = False
    if ctx.sources is not None:
        outcomes = [ctx.sources.sentence_is_verbatim(episode, s) for s in sentences]
        verified = None not in outcomes
        if verified and not all(outcomes):
            source = ctx.sources.get(episode)
            name = source.path.name if source is not None else episode.source
            first_line, last_line = sentences[0].line_start, sentences[-1].line_end
            changed = source is not None and source.sha256 != episode.sha256
            why = " (source changed since the build)" if changed else ""
            problems.append(("CIT006", f"quote not found at lines {first_line}-{last_line} of {name}{why}"))
    start, end = sentences[0].start, sentences[-1].end
    times = _times_problem(citation, start, end)
    if times:
        problems.append(("CIT012", f"citation {times}"))
    expected_url = deep_link(episode.url, citation.start)
    if citation.url != expected_url:
        problems.append(("CIT013", f"link {citation.url!r} should be {expected_url!r}"))
    valid = not problems and (verified or ctx.sources is None)
    count = len(words(materialized))
    if count < MIN_QUOTE_WORDS:
        problems.append(("CIT010", f"quote has {count} words (at least {MIN_QUOTE_WORDS})"))
    elif count > MAX_QUOTE_WORDS:
        problems.append(("CIT011", f"quote has {count} words (at most {MAX_QUOTE_WORDS})"))
    return CitationResult(tuple(problems), valid, verified)


def citation_findings(
    item: str, citations: Sequence[Citation], ctx: CheckContext, lesson: str | None = None
) -> list[Finding]:
    """Findings for an item's citations: at least one, each valid."""
    if not citations:
        return [finding("CIT001", item, "no citation", lesson)]
    found: list[Finding] = []
    for citation in citations:
        for code, reason in check_citation(citation, ctx).problems:
            found.append(finding(code, item, reason, lesson, citation.episode))
    return found


def evidence_words(citations: Sequence[Citation], ctx: CheckContext) -> frozenset[str]:
    """Stemmed content words of the cited sentences and their immediate neighbours."""
    collected: set[str] = set()
    for citation in citations:
        key = (citation.episode, tuple(citation.sentence_ids))
        cached = ctx.evidence.get(key)
        if cached is None:
            sentences = ctx.index.with_neighbours(citation.episode, citation.sentence_ids)
            cached = frozenset(content_words(" ".join(s.text for s in sentences)))
            ctx.evidence[key] = cached
        collected |= cached
    return frozenset(collected)


def quoted_words(citations: Sequence[Citation], ctx: CheckContext) -> frozenset[str]:
    """Stemmed content words of the cited sentences only (no neighbours)."""
    collected: set[str] = set()
    for citation in citations:
        key = ("quoted:" + citation.episode, tuple(citation.sentence_ids))
        cached = ctx.evidence.get(key)
        if cached is None:
            refs = [ctx.index.sentences[sid] for sid in citation.sentence_ids if sid in ctx.index.sentences]
            cached = frozenset(content_words(" ".join(ref.sentence.text for ref in refs)))
            ctx.evidence[key] = cached
        collected |= cached
    return frozenset(collected)


@lru_cache(maxsize=65536)
def _is_key_term(word: str) -> bool:
    from wordfreq import zipf_frequency  # loaded on first use: it takes a tenth of a second

    return bool(zipf_frequency(word, "en") < 4.5 or any(ch.isdigit() for ch in word))


def key_terms(text: str) -> tuple[str, ...]:
    """Stemmed content words that are not everyday English (a short answer's key terms)."""
    terms = tuple(stem(w) for w in words(text) if w not in STOP_WORDS and _is_key_term(w))
    return terms or content_words(text)


def support_finding(
    item: str,
    answer: str,
    citations: Sequence[Citation],
    ctx: CheckContext,
    *,
    exclude: str = "",
    key_terms_only: bool = False,
    lesson: str | None = None,
) -> Finding | None:
    """CIT009 when the answer's content words are not in the quoted sentences or their neighbours.

    Up to a quarter of the words may be missing when there are more than three (paraphrase);
    for key terms of a short answer, up to half.
    """
    if not citations:
        return None
    needed = set(key_terms(answer) if key_terms_only else content_words(answer))
    needed -= set(content_words(exclude))
    if not needed:
        return None
    evidence = evidence_words(citations, ctx)
    if not evidence:
        return None  # no cited sentence resolves: CIT002/CIT003 already say so
    missing = sorted(needed - evidence)
    allowed = len(needed) // 2 if key_terms_only else (len(needed) // 4 if len(needed) > 3 else 0)
    if len(missing) <= allowed:
        return None
    episode = citations[0].episode
    shown = ", ".join(missing[:5])
    return finding("CIT009", item, f"answer words not in the quoted sentences: {shown}", lesson, episode)
