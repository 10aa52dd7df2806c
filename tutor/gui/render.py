"""Model text to safe HTML: everything is escaped first, then a little Markdown and citation links."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from tutor.conversation import Turn
from tutor.practice_exam import verdict_word
from tutor.text import LIST_MARK, spanish_number

_CITE = re.compile(r"\[(\d+)\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITEM = re.compile(rf"^\s*{LIST_MARK}\s+(.*)$")


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


HOT_TEMPERATURE = 0.8  # «Alta (0,8–2)» in the temperature slider's tooltip (tutor/params.py)
HOT_NOTE = (
    "Generada con temperatura {t} (alta): respuestas más variadas, con más riesgo de errores. Para estudiar, "
    "bájala a 0–0,3 en Parámetros."
)


def conversation_html(turns: Sequence[Turn], first: int = 0) -> str:
    """The conversation from turn ``first`` on (a link shows the earlier ones): each question, its answer
    (or «Pensando…»), cited sources and notes."""
    parts = [f'<p><a href="more:">Ver las {first} preguntas anteriores</a></p><hr/>'] if first > 0 else []
    for i, turn in enumerate(turns[first:], start=first):
        asked = html.escape(turn.question).replace("\n", "<br/>")  # a pasted exam question keeps its lines
        parts.append(f'<p style="color:#1f4e79"><a name="turn-{i}"></a><b>Tú:</b> {asked}</p>')
        parts.append(f"<div><b>Tutor:</b>{_body_html(turn, i)}</div>")
        result = turn.result
        if result is not None and not result.abstained and result.sources:
            shown = result.citations or list(enumerate(result.sources, start=1))
            cites = " · ".join(f'<a href="cite:{i}:{n}">[{n}] {html.escape(s.label())}</a>' for n, s in shown)
            prefix = "Fuentes citadas" if result.cited else "Fuentes consultadas (la respuesta no cita ninguna)"
            parts.append(f'<p style="font-size:small">{prefix}: {cites}</p>')
        hot = result.params.get("temperature", 0.0) if result is not None and result.kind != "not_in_course" else 0.0
        if hot >= HOT_TEMPERATURE:  # the course teaches what it does: say it where the student sees its effect
            note = HOT_NOTE.format(t=spanish_number(hot))
            parts.append(f'<p style="color:#666;font-size:small">{html.escape(note)}</p>')
        for note in turn.notes:
            parts.append(f'<p style="color:#a00000;font-size:small">{html.escape(note)}</p>')
        parts.append("<hr/>")
    return "".join(parts)


def _plain(markdown: str) -> str:
    """The model's Markdown as plain words: no «**» around bold, no backslash before an escaped «$» or «*»."""
    return re.sub(r"\*\*|__|\\(?=[$*_#\\])", "", markdown)


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
                f"se apoya en las diapositivas:</i> {html.escape(_plain(result.generated_text))}</p>"
            )
        return body
    if result is not None and result.practice:
        return practice_html(result.practice, result.answer, i, len(result.sources))
    n_sources = len(result.sources) if result else 99
    thinking = "" if turn.notes else "<p><i>Pensando…</i></p>"  # a note says why there is no answer
    if result is not None and result.extract and turn.answer.endswith(result.extract):
        own = answer_html(turn.answer.removesuffix(result.extract).rstrip(), i, n_sources)
        quoted = answer_html(result.extract, i, n_sources)  # the slide's own lines, set apart from the answer
        return f'{own}<div style="color:#444;font-size:small;background:#f4f4f4">{quoted}</div>'
    return answer_html(turn.answer, i, n_sources) or thinking


MARKS = {"correct": '<span style="color:#1a7f37">✔</span>', "incorrect": "✘"}


def practice_html(practice: dict, text: str, turn: int, n_sources: int) -> str:
    """A practice exam question: how the choice was made, the answer, each option's verdict with its cited
    passage, and the links with which the student records the result for review (``exam:turn:who:option``)."""
    confidence = round(100 * practice.get("confidence", 0.0))
    if practice.get("method") == "evidence":
        how = f"Estimación a partir de las diapositivas (sin un modelo que razone), confianza {confidence} %"
        style = "color:#8a4b00"
    elif practice.get("method") == "described":
        how = "Elegida porque el enunciado describe lo que hace esa opción, que el curso no menciona"
        style = "color:#8a4b00"
    else:
        how = f"Elegida por el modelo entre las opciones dadas, confianza {confidence} %"
        style = "color:#555"
    body = f'<p style="{style};font-size:small"><i>{html.escape(how)}</i></p>' + answer_html(text, turn, n_sources)
    rows = []
    for row in practice.get("per_option", []):  # the verdict in the language of its reason, not a mix
        mark, word = MARKS.get(row["verdict"], "·"), verdict_word(practice, row["verdict"])
        reason = answer_html(row["reason"], turn, n_sources).removeprefix("<p>").removesuffix("</p>")
        option = f"<b>{html.escape(row['label'])}.</b> {html.escape(row['text'])}"
        rows.append(f'<li>{mark} {option} <span style="color:#555">({word}) — {reason}</span></li>')
    if rows:
        body += "<ul>" + "".join(rows) + "</ul>"
    return body + _review_html(practice, turn)


def _review_html(practice: dict, turn: int) -> str:
    """«Para tu repaso»: the student's answer and the key's, as letter links; what was recorded once both are."""
    review = practice.get("review") or {}
    if review.get("recorded"):
        return f'<p style="color:#1a7f37;font-size:small">{html.escape(review["recorded"])}</p>'
    labels = practice.get("labels", [])

    def links(who: str, picked: list[int]) -> str:
        shown = [f"<b>[{html.escape(lab)}]</b>" if k in picked else html.escape(lab) for k, lab in enumerate(labels)]
        return " · ".join(f'<a href="exam:{turn}:{who}:{k}">{text}</a>' for k, text in enumerate(shown))

    choice = ", ".join(labels[k] for k in practice.get("choice", []) if k < len(labels))
    tutor_says = f" (el tutor dice {html.escape(choice)})" if choice else ""
    mine, key = review.get("mine", []), review.get("key", [])
    missing = "la correcta según tu clave" if mine and not key else "tu respuesta" if key and not mine else ""
    hint = f"<br/><i>Marca también {missing} para anotarla.</i>" if missing else ""
    return (
        '<p style="font-size:small">Para tu repaso (marca las dos y queda anotada en tu progreso de Práctica) — '
        f"tu respuesta en el test: {links('mine', mine)}<br/>"
        f"La correcta según la clave de tu test{tutor_says}: {links('key', key)}{hint}</p>"
    )
