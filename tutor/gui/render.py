"""Model text to safe HTML: everything is escaped first, then a little Markdown and citation links."""

from __future__ import annotations

import html
import re

_CITE = re.compile(r"\[(\d+)\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.*)$")


def answer_html(text: str, turn: int, n_sources: int) -> str:
    """Paragraphs, bullet lists and **bold**; ``[n]`` becomes a ``cite:turn:n`` link when n is a source."""
    blocks: list[str] = []
    items: list[str] = []

    def inline(line: str) -> str:
        safe = html.escape(line, quote=True)
        safe = _BOLD.sub(r"<b>\1</b>", safe)

        def link(m: re.Match) -> str:
            n = int(m.group(1))
            if 1 <= n <= n_sources:
                return f'<a href="cite:{turn}:{n}" style="text-decoration:none"><b>[{n}]</b></a>'
            return ""

        return _CITE.sub(link, safe)

    def flush_items() -> None:
        if items:
            blocks.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    paragraph: list[str] = []
    for line in text.splitlines() + [""]:
        item = _ITEM.match(line)
        if item:
            if paragraph:
                blocks.append("<p>" + " ".join(paragraph) + "</p>")
                paragraph = []
            items.append(inline(item.group(1)))
        elif line.strip():
            flush_items()
            paragraph.append(inline(line.strip()))
        else:
            flush_items()
            if paragraph:
                blocks.append("<p>" + " ".join(paragraph) + "</p>")
                paragraph = []
    return "".join(blocks)
