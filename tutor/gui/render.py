"""Model text to safe HTML: everything is escaped first, then a little Markdown and citation links."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from tutor.conversation import Turn

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


def conversation_html(turns: Sequence[Turn], first: int = 0) -> str:
    """The conversation from turn ``first`` on (a link shows the earlier ones): each question, its answer
    (or «Pensando…»), cited sources and notes."""
    parts = [f'<p><a href="more:">Ver las {first} preguntas anteriores</a></p><hr/>'] if first > 0 else []
    for i, turn in enumerate(turns[first:], start=first):
        parts.append(f'<p style="color:#1f4e79"><a name="turn-{i}"></a><b>Tú:</b> {html.escape(turn.question)}</p>')
        parts.append(f"<div><b>Tutor:</b>{_body_html(turn, i)}</div>")
        result = turn.result
        if result is not None and not result.abstained and result.sources:
            shown = result.citations or list(enumerate(result.sources, start=1))
            cites = " · ".join(f'<a href="cite:{i}:{n}">[{n}] {html.escape(s.label())}</a>' for n, s in shown)
            prefix = "Fuentes citadas" if result.cited else "Fuentes consultadas (la respuesta no cita ninguna)"
            parts.append(f'<p style="font-size:small">{prefix}: {cites}</p>')
        for note in turn.notes:
            parts.append(f'<p style="color:#a00000;font-size:small">{html.escape(note)}</p>')
        parts.append("<hr/>")
    return "".join(parts)


def _body_html(turn: Turn, i: int) -> str:
    """One answer: plainly «not in the course», slide extracts (with any discarded text) or the model's text."""
    result = turn.result
    if result is not None and result.abstained:
        return f'<p style="color:#8a4b00"><b>No está en el curso.</b> {html.escape(result.answer)}</p>'
    if result is not None and result.kind == "passages":
        body = '<div style="background:#fff7e0">' + answer_html(turn.answer, i, len(result.sources)) + "</div>"
        if result.generated_text.strip():
            body += (
                '<p style="color:#777;font-size:small"><i>Texto que generó el modelo, descartado porque no '
                f"se apoya en las diapositivas:</i> {html.escape(result.generated_text)}</p>"
            )
        return body
    n_sources = len(result.sources) if result else 99
    thinking = "" if turn.notes else "<p><i>Pensando…</i></p>"  # a note says why there is no answer
    return answer_html(turn.answer, i, n_sources) or thinking
