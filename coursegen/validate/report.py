"""The validation report: findings, counts, citation validity rate, drop reasons; JSON and table."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

from coursegen.validate.findings import RULES, Finding


@dataclass
class ValidationReport:
    """What `coursegen validate` reports for one course."""

    course_id: str
    findings: list[Finding]
    citations_total: int = 0
    citations_valid: int = 0
    sources: dict[str, str] = field(default_factory=dict)  # episode id → ok | changed | missing
    dropped_reasons: list[tuple[str, int]] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """The findings with severity error."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """The findings with severity warning."""
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when no error remains."""
        return not self.errors

    @property
    def citation_validity_rate(self) -> float:
        """Valid citations / all citations (1.0 for a course without citations)."""
        return self.citations_valid / self.citations_total if self.citations_total else 1.0

    def counts(self, attribute: str) -> dict[str, int]:
        """Number of findings per value of `attribute` (code, severity, lesson, episode), sorted."""
        counter = Counter(getattr(f, attribute) or "-" for f in self.findings)
        return dict(sorted(counter.items()))

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (deterministic order)."""
        return {
            "course": self.course_id,
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "citations": {
                "total": self.citations_total,
                "valid": self.citations_valid,
                "validity_rate": round(self.citation_validity_rate, 6),
            },
            "sources": dict(sorted(self.sources.items())),
            "counts": {
                "by_code": self.counts("code"),
                "by_severity": self.counts("severity"),
                "by_lesson": self.counts("lesson"),
                "by_episode": self.counts("episode"),
            },
            "top_drop_reasons": [{"reason": r, "count": n} for r, n in self.dropped_reasons],
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self) -> str:
        """The JSON report text (indent 2, newline at end)."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def summary(self) -> dict[str, Any]:
        """A compact summary for the course's build record."""
        return {
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "citation_validity_rate": round(self.citation_validity_rate, 6),
            "by_code": self.counts("code"),
        }


def render(report: ValidationReport, console: Console, limit_per_group: int = 20) -> None:
    """Print the findings as a table grouped by code and lesson, then the totals."""
    if report.findings:
        table = Table(title=f"Validation of {report.course_id}", show_lines=False)
        for column in ("code", "severity", "lesson", "item", "reason"):
            table.add_column(column, overflow="fold")
        groups: dict[tuple[str, str], list[Finding]] = {}
        for item in report.findings:
            groups.setdefault((item.code, item.lesson or "-"), []).append(item)
        for (code, lesson), members in sorted(groups.items()):
            for item in members[:limit_per_group]:
                style = "red" if item.severity == "error" else "yellow"
                table.add_row(code, f"[{style}]{item.severity}[/]", lesson, item.item, item.reason)
            if len(members) > limit_per_group:
                table.add_row(code, "", lesson, f"... {len(members) - limit_per_group} more", "")
        console.print(table)
        counts = ", ".join(f"{code} {n}" for code, n in report.counts("code").items())
        console.print(f"By code: {counts}", highlight=False)
        for code in report.counts("code"):
            console.print(f"  {code}: {RULES[code][1]}", highlight=False, markup=False)
    for episode, status in sorted(report.sources.items()):
        if status != "ok":
            console.print(f"Source of {episode}: {status}", highlight=False)
    rate = report.citation_validity_rate
    console.print(
        f"Citation validity: {report.citations_valid}/{report.citations_total} = {rate:.1%}",
        highlight=False,
    )
    verdict = "[green]OK[/]" if report.ok else "[red]FAILED[/]"
    console.print(f"{verdict}: {len(report.errors)} error(s), {len(report.warnings)} warning(s)")
