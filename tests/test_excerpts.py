"""Which sources an instruction-tuned model reads, and how much of them (tutor/excerpts.py)."""

from tutor.excerpts import excerpt_sources
from tutor.types import Source


def _page(page: int, score: float, text: str = "texto") -> Source:
    return Source("deck.pdf", page, f"Título {page}", text, score)


def test_excerpts_keep_the_sentences_that_share_the_questions_words_best_source_first():
    slide = "La temperatura controla la aleatoriedad. Top-p limita los tokens candidatos. El examen dura 90 minutos."
    other = "Top-k fija cuántos tokens se consideran. Nada más."
    count = lambda text: len(text.split())  # noqa: E731
    (first,) = excerpt_sources("¿Qué es top-p?", [_page(1, 3.0, slide), _page(2, 2.5, other)], count, 12)
    assert first.page == 1 and "Top-p limita los tokens candidatos." in first.text
    assert "90 minutos" not in first.text  # over the budget and unrelated; page 2 shares no word, so it is out


def test_an_english_question_keeps_its_best_ranked_spanish_source():
    """Seen in a fresh window: «…stop generating text as soon as it writes the marker END. Which inference parameter
    should they configure?» was answered from the overfitting slide; the stop-sequence slide, ranked first, shared
    no English word with it and was left out. The glossary's Spanish counts, and the best source always stays."""
    stops = "Secuencias de detención. Especificar secuencias de caracteres que detienen al modelo."
    overfitting = "The model learns the noise of the training text. Reducir la flexibilidad del modelo."
    count = lambda text: len(text.split())  # noqa: E731
    question = "Which inference parameter makes the model stop generating text when it writes a marker?"
    kept = excerpt_sources(question, [_page(13, 3.0, stops), _page(8, 2.5, overfitting)], count, 40)
    assert kept[0].page == 13 and "detienen" in kept[0].text
    # with nothing in common at all, the best-ranked source still keeps its best sentence
    kept = excerpt_sources(
        "Why does the text drift?", [_page(1, 3.0, "Nada que ver."), _page(2, 2.5, "The text.")], count, 40
    )
    assert [s.page for s in kept] == [1, 2]


def test_a_line_under_a_label_in_capitals_keeps_its_items_name():
    """«Pequeño número de ejemplos etiquetados.» says nothing without «Afinamiento», four lines above it under the
    labels «PROPÓSITO» and «NECESIDAD DE DATOS»: the excerpt keeps the item's name and the lines between."""
    slide = (
        "Enfoques comunes\nPrompt Engineering\nDar instrucciones para guiar las salidas del modelo.\n"
        "Mejorando modelos preentrenados con más datos para su negocio y sus clientes.\n"
        "Afinamiento\nPROPÓSITO\nMaximizar la precisión.\nNECESIDAD DE DATOS\nPequeño número de ejemplos etiquetados."
    )
    count = lambda text: len(text.split())  # noqa: E731
    (kept,) = excerpt_sources("¿Cuántos ejemplos etiquetados se necesitan?", [_page(19, 3.0, slide)], count, 12)
    assert kept.text.split("\n")[:6] == [
        "…",
        "Afinamiento",
        "PROPÓSITO",
        "Maximizar la precisión.",
        "NECESIDAD DE DATOS",
        "Pequeño número de ejemplos etiquetados.",
    ]


def test_a_scenarios_need_finds_the_line_with_the_courses_words_for_it():
    """«…que cambian cada mes, sin volver a entrenar el modelo» shares no word with «Retrieval Augmented
    Generation (RAG)»: without the course's words for that need (tutor/needs.py) the excerpt kept only the
    slide's title, and the model invented a technique."""
    slide = (
        "Entrenamiento de modelos y afinación\nEnfoques comunes para personalizar FMs\nEmpieza aquí\n"
        "Prompt Engineering\nDar instrucciones para guiar las salidas del modelo.\nNo hay entrenamiento\n"
        "Retrieval Augmented Generation (RAG)\nRecuperando conocimientos relevantes para modelos.\n"
        "Fine-tuning (Afinamiento)\nAdaptación de modelos para tareas específicas"
    )
    count = lambda text: len(text.split())  # noqa: E731
    question = "Su chatbot debe responder con fichas que cambian cada mes, sin volver a entrenar el modelo."
    (kept,) = excerpt_sources(question, [_page(19, 3.0, slide)], count, 20)
    assert "Retrieval Augmented Generation (RAG)" in kept.text
