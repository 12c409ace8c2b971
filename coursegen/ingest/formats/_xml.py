"""A small, safe XML reader that keeps the line range of every element.

ElementTree forgets where elements were; citations need the lines, so we drive expat
(the parser under ElementTree) ourselves. Entity declarations are refused (no
billion-laughs expansion) and external entities are never fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.parsers import expat

from coursegen.errors import InputError

PARSERS: list[object] = []  # a helper module, not a format


@dataclass
class Node:
    """An element: local tag name, attributes (local names), children and its lines."""

    tag: str
    attrs: dict[str, str]
    line_start: int
    line_end: int = 0
    children: list[Node | str] = field(default_factory=list)

    def iter(self, tag: str) -> list[Node]:
        """Every descendant element (and self) with this local tag name, in document order."""
        found: list[Node] = []
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            if node.tag == tag:
                found.append(node)
            stack.extend(child for child in reversed(node.children) if isinstance(child, Node))
        return found

    def text(self, breaks: frozenset[str] = frozenset({"br"})) -> str:
        """All text inside, with `<br/>` as a line break."""
        parts: list[str] = []
        stack: list[Node | str] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
            elif item.tag in breaks:
                parts.append("\n")
            else:
                stack.extend(reversed(item.children))
        return "".join(parts)


@lru_cache(maxsize=512)
def _local(name: str) -> str:
    """`{namespace} tag` or `prefix:tag` → `tag` (cached: a file repeats a few names)."""
    return name.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


class _Refused(Exception):
    pass


def parse_xml(text: str, path: Path) -> Node:
    """Parse `text` into a Node tree; malformed or entity-declaring XML → InputError."""
    parser = expat.ParserCreate(encoding="utf-8", namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True  # one call per text run, not one per line or entity
    root = Node("#document", {}, 1)
    stack: list[Node] = [root]

    def start(name: str, attrs: dict[str, str]) -> None:
        node = Node(_local(name), {_local(k): v for k, v in attrs.items()}, parser.CurrentLineNumber)
        stack[-1].children.append(node)
        stack.append(node)

    def end(name: str) -> None:
        node = stack.pop()
        node.line_end = parser.CurrentLineNumber

    def data(chunk: str) -> None:
        stack[-1].children.append(chunk)

    def refuse_entity(*_args: object) -> None:
        raise _Refused

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.EntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = lambda *_args: 1  # skip, never fetch
    body = text[1:] if text.startswith("\ufeff") else text
    try:
        parser.Parse(body.encode("utf-8"), True)
    except _Refused:
        raise InputError(str(path), "XML declares entities; refused for safety") from None
    except expat.ExpatError as error:
        raise InputError(
            str(path), f"malformed XML at line {error.lineno}: {expat.ErrorString(error.code)}"
        ) from None
    return root
