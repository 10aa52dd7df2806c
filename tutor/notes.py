"""Notes to take away: a saved conversation, or a practice session's results, as Markdown, each citation with
its slide and quoted passage.

Pure text, no Qt: ``tutor export`` prints it, and :mod:`tutor.gui.export_pdf` lays the same Markdown out
as a PDF.
"""

from __future__ import annotations

import re
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from tutor.answer import Answer
from tutor.conversation import Turn
from tutor.grounding import key_passages
from tutor.history import ConversationInfo, short_date
from tutor.params import PARAMS
from tutor.practice_exam import verdict_word
from tutor.quiz import Question
from tutor.text import spanish_number
from tutor.types import Source

QUOTE_CHARS = 400
SKIPPED_PARAMS = {"n_threads", "n_threads_batch", "n_gpu_layers"}  # this computer's, not the answer's
STOPPED = {
    "cancelled": "Generación detenida por el estudiante.",
    "repetition": "Respuesta cortada: el modelo empezó a repetirse.",
    "empty": "El modelo no generó texto.",
}
_SPECIAL = re.compile(r"([\\`*<\[]|(?<!\w)_|_(?!\w))")  # only what would change the layout


def escape(text: str) -> str:
    """``text`` on one line with Markdown's special characters escaped (for questions and titles)."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), " ".join(text.split()))


def _number(value: object) -> str:
    if isinstance(value, float):
        return spanish_number(value, "g")
    return str(value)


def params_line(params: dict, names: Collection[str] | None = None) -> str:
    """The answer's generation parameters in Spanish (only ``names`` when given): «Temperatura 0,2 · …»."""
    parts = []
    for param in PARAMS:
        if param.name in SKIPPED_PARAMS or param.name not in params or (names is not None and param.name not in names):
            continue
        value = params[param.name]
        if param.name == "stop":
            if value:
                parts.append(f"{param.label}: " + ", ".join(f"«{s}»" for s in value))
        elif param.name == "seed" and value == -1:
            parts.append(f"{param.label} aleatoria")
        else:
            parts.append(f"{param.label} {_number(value)}")
    return " · ".join(parts)


def quoted_passage(answer: str, n: int, source: Source) -> str:
    """The sentences of ``source`` closest to the answer's sentences citing ``[n]`` (at most 400 characters)."""
    citing = " ".join(s for s in re.split(r"(?<=[.!?…])\s+", answer) if f"[{n}]" in s) or answer
    sentences = [text for _, text in key_passages(citing, [source], limit=2)]
    quote = " ".join(sentences) if sentences else " ".join(source.text.split())
    if len(quote) > QUOTE_CHARS:
        quote = quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + " […]"
    return quote


def where(source: Source) -> str:
    """«archivo.pdf, diapositiva N» (or «notas.md, sección N»)."""
    unit = "diapositiva" if source.kind == "pdf" else "sección"
    return f"«{escape(source.file)}, {unit} {source.page}»"


def citation_markdown(n: int, source: Source, answer: str) -> str:
    """``- [n] «archivo.pdf, diapositiva N» — título`` and the quoted passage under it."""
    title = f" — {escape(source.shown_title())}" if source.title else ""
    quote = quoted_passage(answer, n, source)
    line = f"- [{n}] {where(source)}{title}"
    return f"{line}\n\n  > «{escape(quote)}»" if quote else line


def turn_markdown(number: int, turn: Turn) -> str:
    """One question, its answer and its citations."""
    parts = [f"## {number}. {escape(turn.question)}"]
    result = turn.result
    if result is None:
        parts.append("*" + (" ".join(turn.notes) or "Sin respuesta.") + "*")
        return "\n\n".join(parts)
    if result.abstained:
        parts.append(f"**No está en el curso.** {result.answer}")
        return "\n\n".join(parts)
    parts.append(result.answer.strip() or "*Sin texto.*")
    if result.practice and result.practice.get("per_option"):
        parts.append(practice_options_markdown(result.practice))
    if result.stopped_reason in STOPPED:
        parts.append(f"*{STOPPED[result.stopped_reason]}*")
    if result.citations:
        parts.append("**Fuentes citadas**")
        parts.extend(citation_markdown(n, source, result.answer) for n, source in result.citations)
    elif result.sources:
        parts.append("**Fuentes consultadas** (la respuesta no cita ninguna)")
        parts.extend(f"- [{n}] {where(s)}" for n, s in enumerate(result.sources, start=1))
    return "\n\n".join(parts)


def answer_with_sources(result: Answer) -> str:
    """An answer as «Copiar respuesta» copies it: the text, then the sources its markers cite (seen in a student
    trial: pasted alone, «[1]» meant nothing)."""
    cited = [f"[{n}] {source.label()} — {source.shown_title()}" for n, source in result.citations]
    return result.answer.strip() + ("\n\nFuentes citadas:\n" + "\n".join(cited) if cited else "")


def conversation_markdown(info: ConversationInfo, turns: Sequence[Turn]) -> str:
    """The whole conversation as notes: a header (course, date, model, parameters), then every turn."""
    header = [f"# {escape(info.title)}", ""]
    if info.course:
        header.append(f"- **Curso:** {escape(info.course_name)}")
    header.append(f"- **Fecha:** {short_date(info.created)}")
    if info.model:
        header.append(f"- **Modelo:** {escape(info.model)}")
    if info.params:
        header.append(f"- **Parámetros:** {escape(params_line(info.params))}")
    body = [turn_markdown(i, turn) for i, turn in enumerate(turns, start=1)]
    footer = f"*Apuntes exportados de tutor el {short_date(time.time())}. Las citas remiten a tus diapositivas.*"
    return "\n\n".join(["\n".join(header), *body, "---", footer]) + "\n"


def practice_options_markdown(practice: dict) -> str:
    """A practice exam question's options, each with the tutor's verdict and its reason."""
    lines = ["**Opciones**", ""]
    for row in practice["per_option"]:
        mark = {"correct": "✔ ", "incorrect": "✘ "}.get(row["verdict"], "")
        verdict = f"{mark}{verdict_word(practice, row['verdict']) or row['verdict']}"
        lines.append(f"- **{escape(row['label'])}.** {escape(row['text'])} — *{verdict}*: {escape(row['reason'])}")
    return "\n".join(lines)


@dataclass(frozen=True)
class PracticeAnswer:
    """One question of a practice session, what the student answered and whether it was right."""

    question: Question
    given: str
    correct: bool


def practice_markdown(course: str, answers: Sequence[PracticeAnswer]) -> str:
    """A practice session's results as notes: the score, then each question with the student's answer, the
    right one and the slide passage that says it («archivo.pdf, diapositiva N»)."""
    right = sum(a.correct for a in answers)
    header = [f"# Práctica: {right} de {len(answers)} aciertos", ""]
    if course:
        header.append(f"- **Curso:** {escape(course)}")
    header.append(f"- **Fecha:** {short_date(time.time())}")
    body = []
    for i, a in enumerate(answers, start=1):
        q = a.question
        lines = [f"## {i}. {escape(q.question)}", ""]
        if q.options:
            lines += [f"- {escape(option)}" for option in q.options] + [""]
        mark = "✔ correcta" if a.correct else "✘ incorrecta"
        lines.append(f"**Tu respuesta:** {escape(a.given)} ({mark})  ")
        lines.append(f"**Respuesta:** {escape(q.answer)}")
        lines += ["", f"- {where(q.as_source())}" + (f" — {escape(q.title)}" if q.title else "")]
        if q.explanation:
            lines += ["", f"  > «{escape(' '.join(q.explanation.split()))}»"]
        body.append("\n".join(lines))
    footer = f"*Resultados exportados de tutor el {short_date(time.time())}. Las citas remiten a tus diapositivas.*"
    return "\n\n".join(["\n".join(header), *body, "---", footer]) + "\n"
