"""Turn engine citations (sentence ids) into IR citations: quote, times and link from the source."""

from __future__ import annotations

from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import Cite
from coursegen.ir import Citation


def deep_link(url: str | None, start: float | None) -> str | None:
    """A link to the moment in the video when the source names one."""
    if not url or start is None:
        return None
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}t={int(start)}"


def materialize_cite(sources: SourceIndex, cite: Cite) -> Citation:
    """The Citation for these sentence ids; raises KeyError when an id does not exist."""
    refs = []
    for sid in cite.sentence_ids:
        ref = sources.get(sid)
        if ref is None or ref.episode.id != cite.episode:
            raise KeyError(sid)
        refs.append(ref)
    start = refs[0].sentence.start
    end = refs[-1].sentence.end
    return Citation(
        episode=cite.episode,
        sentence_ids=list(cite.sentence_ids),
        quote=" ".join(r.sentence.text for r in refs),
        start=start,
        end=end,
        time_estimated=False,
        url=deep_link(refs[0].episode.url, start),
    )
