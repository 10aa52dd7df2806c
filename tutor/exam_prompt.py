"""The prompts an instruction-tuned model reads for a practice question: the choice and the explanation.

The choice prompt shows the deciding slides (the best retrieved slide and the one that backs an option the
most), the stem and the options lettered A, B, C…, and asks for the letter only: the model's next-token
probabilities of the letters are the answer (see :meth:`tutor.language_model.LanguageModel.choose`). Wrong
or partial slides distract a small model, so it sees at most two slides, cut to ``SLIDE_CHARS``.
"""

from __future__ import annotations

from tutor.exam_evidence import OptionEvidence
from tutor.exam_parse import LETTERS, PracticeQuestion
from tutor.prompt import FENCE, quote_source
from tutor.types import Source

SLIDE_CHARS = 1500
DECIDING_SLIDES = 2

SYSTEM = {
    "es": "Eres un experto en el examen AWS Certified AI Practitioner. Respondes preguntas de opción múltiple.",
    "en": "You are an expert on the AWS Certified AI Practitioner exam. You answer multiple-choice questions.",
}
WORDS = {
    "es": {
        "slides": "Diapositivas del curso:",
        "question": "Pregunta:",
        "one": "Responde solo con la letra de la opción correcta.",
        "many": "Responde solo con las letras de las {n} opciones correctas, separadas por comas.",
        "explain": "La respuesta correcta es {choice}. Explica en 2 a 4 frases por qué, y por qué no lo son las "
        "demás opciones cuando las diapositivas lo digan. Termina cada frase con el número de la diapositiva "
        "que la apoya entre corchetes, por ejemplo [1]; si las diapositivas no lo dicen, no cites ninguna.",
    },
    "en": {
        "slides": "Course slides:",
        "question": "Question:",
        "one": "Answer with the letter of the correct option only.",
        "many": "Answer with the letters of the {n} correct options only, separated by commas.",
        "explain": "The correct answer is {choice}. Explain in 2 to 4 sentences why, and why the other options "
        "are not, where the slides say so. End each sentence with the number of the slide that supports it in "
        "brackets, for example [1]; if the slides do not say it, cite none.",
    },
}


def deciding_sources(sources: list[Source], evidence: list[OptionEvidence]) -> list[Source]:
    """The best retrieved slide and the slide that backs an option the most (at most ``DECIDING_SLIDES``)."""
    if not sources:
        return []
    ranked = sorted((e for e in evidence if e.source >= 0), key=lambda e: -e.score)
    picked = [0] + [e.source for e in ranked[:1] if e.source != 0]
    return [sources[i] for i in picked[:DECIDING_SLIDES]]


def lettered(question: PracticeQuestion) -> str:
    """The stem and its options lettered A, B, C… (the model always sees letters, whatever was pasted)."""
    options = "\n".join(f"{LETTERS[i]}. {option}" for i, option in enumerate(question.options))
    return f"{question.stem}\n{options}"


def _slides_block(sources: list[Source], words: dict, numbered: bool = False) -> str:
    if not sources:
        return ""
    blocks = []
    for n, source in enumerate(sources, start=1):
        label = f"[{n}] {source.label()}\n" if numbered else ""
        blocks.append(f"{label}{FENCE}\n{quote_source(source.text[:SLIDE_CHARS])}\n{FENCE}")
    return f"{words['slides']}\n" + "\n".join(blocks) + "\n\n"


def choice_messages(question: PracticeQuestion, slides: list[Source]) -> list[dict]:
    """The messages whose reply's first token is the letter of the answer (slides may be empty)."""
    lang = question.language if question.language in WORDS else "es"
    words = WORDS[lang]
    ask = words["one"] if question.choose == 1 else words["many"].format(n=question.choose)
    user = f"{_slides_block(slides, words)}{words['question']}\n{lettered(question)}\n\n{ask}"
    return [{"role": "system", "content": SYSTEM[lang]}, {"role": "user", "content": user}]


def explain_instruction(question: PracticeQuestion, choice: list[int]) -> str:
    """What the explanation's prompt asks for («La respuesta correcta es B (…). Explica en 2 a 4 frases…»)."""
    words = WORDS[question.language if question.language in WORDS else "es"]
    return words["explain"].format(choice=", ".join(f"{LETTERS[i]} ({question.options[i]})" for i in choice))


def explain_messages(question: PracticeQuestion, choice: list[int], sources: list[Source]) -> list[dict]:
    """The messages asking for a short explanation of ``choice``, citing the numbered ``sources``."""
    lang = question.language if question.language in WORDS else "es"
    words = WORDS[lang]
    slides = _slides_block(sources, words, numbered=True)
    user = f"{slides}{words['question']}\n{lettered(question)}\n\n{explain_instruction(question, choice)}"
    return [{"role": "system", "content": SYSTEM[lang]}, {"role": "user", "content": user}]
