"""Questions as students paste them, reduced to what to look up: a short Spanish search query.

An instruction-tuned model rewrites long exam-style stems («A company wants to… Which solution…?») and
English questions into a few Spanish words the course would use; a base model only translates English
questions (few-shot completion). Either way the original question is searched too, so a poor rewrite
can add matches but never hide the ones the question already had.
"""

from __future__ import annotations

import re

from tutor.language_model import LanguageModel
from tutor.text import detect_language

REWRITE_SYSTEM = (
    "Conviertes preguntas de examen (en inglés o en español) en una consulta de búsqueda breve en español "
    "para encontrar la diapositiva del curso que la responde. Responde solo con la consulta: 3 a 12 palabras, "
    "con los términos técnicos y los nombres de servicios, sin relleno sobre la empresa ni sobre el examen."
)
EXAMPLES = (
    (
        "A company wants to store and share ML features across several teams with the least operational "
        "overhead. Which AWS service meets these requirements?",
        "almacén de características compartir features entre equipos SageMaker Feature Store",
    ),
    ("¿Qué parámetro hace que el modelo responda siempre lo mismo?", "temperatura respuestas deterministas"),
)
TRANSLATION_SHOTS = (
    "English: What is machine learning used for?\n"
    "Español: ¿Para qué se usa el aprendizaje automático?\n\n"
    "English: Which service stores my files?\n"
    "Español: ¿Qué servicio guarda mis archivos?\n\n"
)
LONG_QUESTION_WORDS = 25  # longer than this: a scenario stem worth reducing


def needs_rewrite(question: str) -> bool:
    """English questions and long stems; a short Spanish question is already a good query."""
    return detect_language(question) == "en" or len(question.split()) > LONG_QUESTION_WORDS


def rewrite_query(llm: LanguageModel, question: str) -> str:
    """A short Spanish search query for ``question`` (greedy, one line); empty when the model gives none."""
    text = " ".join(question.split())[:1500]
    if llm.chat_template():
        messages = [{"role": "system", "content": REWRITE_SYSTEM}]
        for asked, query in EXAMPLES:
            messages += [{"role": "user", "content": asked}, {"role": "assistant", "content": query}]
        messages.append({"role": "user", "content": text})
        reply = llm.chat(messages, 40, ["\n"])
    else:
        reply = llm.complete(f"{TRANSLATION_SHOTS}English: {text[:500]}\nEspañol:", 64, ["\n"])
    return re.sub(r"^(consulta|query)\s*:\s*", "", reply.strip(), flags=re.I).strip(" \"'«»")
