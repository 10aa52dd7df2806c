"""The calibrated decision on tiny courses, with the real embedder it was fitted for (all-MiniLM-L6-v2,
shipped in a PyPI package: no network, no ../shared): a 3-page PDF course and a 1-section Markdown course.

The old rule (a fused z-score of at least 2.35) refused every question on a course of 6 pages or fewer:
the best of N z-scores is at most √(N−1)."""

from __future__ import annotations

import pytest

from tests.conftest import FakeLLM
from tests.pdfs import make_pdf
from tutor.config import Settings
from tutor.pipeline import Tutor

SLIDES = [
    "La temperatura en los LLM\nLa temperatura controla la aleatoriedad de la salida del modelo.\n"
    "Con una temperatura baja las respuestas son deterministas y repetitivas;\n"
    "con una temperatura alta el modelo elige tokens menos probables y es más creativo.",
    "Generación aumentada por recuperación (RAG)\nRAG busca fragmentos relevantes de los documentos de la empresa\n"
    "en una base de datos vectorial y los añade al prompt,\n"
    "para que el modelo responda con información actualizada y reduzca las alucinaciones.",
    "Amazon SageMaker Clarify\nSageMaker Clarify detecta sesgos en los datos de entrenamiento\n"
    "y explica las predicciones del modelo con la importancia de cada característica.",
]

SECTION = """# Ventana de contexto

La ventana de contexto es el número máximo de tokens que un modelo de lenguaje puede leer a la vez:
el prompt, el historial de la conversación y la respuesta. Cuando una conversación es muy larga,
los primeros mensajes salen de la ventana y el modelo los olvida.
"""

UNCOVERED = [
    "¿Cuál es la capital de Mongolia?",
    "¿Cómo se prepara una paella valenciana?",
    "¿Quién ganó el mundial de fútbol de 2010?",
]


@pytest.fixture(scope="module")
def embedder():
    from tutor.embed import load_embedder

    return load_embedder("", "float32")


def _tutor(course, embedder) -> Tutor:
    tutor = Tutor(Settings(corpus_dir=str(course)), course, llm=FakeLLM(), embedder=embedder)
    tutor.ensure_index()
    return tutor


@pytest.mark.parametrize(
    "question, page",
    [
        ("¿Qué controla la temperatura de un LLM?", 1),
        ("¿Por qué con temperatura baja las respuestas son repetitivas?", 1),
        ("¿Qué es RAG y por qué reduce las alucinaciones?", 2),
        ("¿Qué servicio de AWS detecta sesgos en los datos de entrenamiento?", 3),
        ("Which AWS service detects bias in training data and explains predictions?", 3),
    ],
)
def test_three_page_course_answers_what_it_covers(tmp_path, embedder, question, page):
    course = tmp_path / "curso"
    course.mkdir()
    make_pdf(course / "diapositivas.pdf", SLIDES)
    result = _tutor(course, embedder).search(question)
    assert result.decision != "refuse", (result.confidence, result.signals)
    assert result.sources[0].page == page


@pytest.mark.parametrize("question", UNCOVERED + ["¿Qué es LoRA y cuánta memoria ahorra?"])
def test_three_page_course_refuses_what_it_does_not_cover(tmp_path, embedder, question):
    course = tmp_path / "curso"
    course.mkdir()
    make_pdf(course / "diapositivas.pdf", SLIDES)
    result = _tutor(course, embedder).search(question)
    assert result.decision == "refuse" and result.abstained, (result.confidence, result.signals)


def test_one_section_markdown_course_answers_and_refuses(tmp_path, embedder):
    course = tmp_path / "apuntes"
    course.mkdir()
    (course / "ventana.md").write_text(SECTION, encoding="utf-8")
    tutor = _tutor(course, embedder)
    assert tutor.retriever.search("x").signals.pages == 1
    for question in ("¿Qué es la ventana de contexto?", "¿Por qué el modelo olvida los primeros mensajes?"):
        result = tutor.search(question)
        assert result.decision != "refuse", (question, result.confidence, result.signals)
    for question in UNCOVERED:
        result = tutor.search(question)
        assert result.abstained, (question, result.confidence, result.signals)


def test_a_heading_left_at_a_slides_foot_finds_and_answers_with_the_slide_it_heads(tmp_path, embedder):
    """On the real course «Overfitting (sobreajuste)» stands at the foot of the underfitting slide, its lines on
    the next one: an overfitting question was answered with underfitting's fix."""
    from tutor.grounding import ground

    course = tmp_path / "curso"
    course.mkdir()
    make_pdf(
        course / "generalizacion.pdf",
        [
            "Underfitting (subajuste)\nEl modelo es demasiado sencillo para capturar la relación.\nCómo arreglarlo:\n"
            "Aumentar los datos de entrenamiento o el número de iteraciones.\nOverfitting (sobreajuste)",
            "El modelo capta el ruido en lugar de la relación subyacente.\nCómo arreglarlo:\n"
            "Reducir la flexibilidad del modelo, más regularización, detención temprana.",
            "AWS PrivateLink\nConectividad privada segura a los servicios de AWS sin pasar por internet pública.",
        ],
    )
    tutor = _tutor(course, embedder)
    top = tutor.search("¿Cómo se arregla el overfitting?").candidates[0]
    assert (top.page, top.title) == (2, "Overfitting (sobreajuste)")
    wrong = "Para arreglar el overfitting hay que aumentar los datos de entrenamiento o el número de iteraciones."
    right = "Para arreglar el overfitting hay que reducir la flexibilidad del modelo y usar detención temprana."
    assert ground(right, [top]).cited == [1] and ground(wrong, [top]).cited == []


def test_a_slide_that_goes_on_with_the_previous_slides_name_is_read_under_it(tmp_path, embedder):
    """The real course's Clarify slide lists its features on the next slide, which never names it."""
    from dataclasses import replace

    from tutor.grounding import ground

    course = tmp_path / "curso"
    course.mkdir()
    make_pdf(
        course / "gobernanza.pdf",
        [
            "Gobernanza\nAmazon Augmented AI (A2I)\nImplementar revisión humana de predicciones de ML\n"
            "Amazon SageMaker Clarify\nDetecta sesgos en modelos ML y comprende las predicciones del modelo",
            "Explicar las predicciones individuales\n"
            "Comprende la importancia relativa de cada característica para inferencias individuales\n"
            "SageMaker Model Monitor\nMonitorea automáticamente los modelos ML en producción.",
            "AWS PrivateLink\nConectividad privada segura a los servicios de AWS sin pasar por internet pública.",
        ],
    )
    tutor = _tutor(course, embedder)
    pages = {s.page: s for s in tutor.search("importancia relativa de cada característica conectividad").candidates}
    features = tutor.retriever.with_carried(pages[2])
    assert features.carried == "Amazon SageMaker Clarify"
    private = tutor.retriever.with_carried(pages[3])  # a slide that starts with a name of its own stays its own
    claim = "SageMaker Model Monitor da conectividad privada segura a los servicios de AWS sin pasar por internet."
    assert private.carried == "" and ground(claim, [private]).cited == []
    assert ground(claim.replace("SageMaker Model Monitor", "AWS PrivateLink"), [private]).cited == [1]
    said = "Amazon SageMaker Clarify explica la importancia relativa de cada característica para inferencias."
    assert ground(said, [features]).cited == [1]
    assert ground(said, [replace(features, carried="")]).cited == []  # read alone, the slide never says whose
