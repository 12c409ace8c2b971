"""A speaker map in coursegen.toml names the voices in a build, and renaming re-ingests."""

from __future__ import annotations

from pathlib import Path

from coursegen.pipeline import BuildOptions, build_course

# Seed 003 rendered as WebVTT with <v Host>/<v Guest> voices (tests/fixtures/formats).
VTT = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "generated" / "webvtt-003.vtt"


def _speakers(out: Path, source: Path) -> set[str | None]:
    result = build_course([source], out, BuildOptions(engine="extractive", export_formats=[]))
    return {p.speaker for p in result.course.episodes[0].passages}


def test_speaker_map_is_applied_and_a_new_name_reingests(tmp_path: Path) -> None:
    source = tmp_path / "talk.vtt"
    source.write_bytes(VTT.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    config = out / "coursegen.toml"
    config.write_text('[speakers.talk]\nHost = "Ada Lovelace"\n', encoding="utf-8")
    assert "Ada Lovelace" in _speakers(out, source)
    config.write_text('[speakers.talk]\nHost = "Grace Hopper"\n', encoding="utf-8")
    speakers = _speakers(out, source)
    assert "Grace Hopper" in speakers and "Ada Lovelace" not in speakers
