import re

import numpy as np
import pytest

from tutor.citations import StreamFilter, citation_grammar, cited_numbers, clean_markers, marker_would_stand_for_a_noun


def test_invalid_markers_are_removed_valid_kept():
    text = "La temperatura controla la aleatoriedad [1]. Top-p filtra [7]. Ambos [2, 9]."
    assert clean_markers(text, 3) == "La temperatura controla la aleatoriedad [1]. Top-p filtra . Ambos [2]."
    assert cited_numbers(text, 3) == [1, 2]


def test_stream_filter_handles_markers_split_across_tokens():
    pieces = ["Respuesta ", "[", "1", "] y ", "[", "4", "2", "]", " fin [", "2]"]
    f = StreamFilter(3)
    shown = "".join(f.feed(p) for p in pieces) + f.flush()
    assert shown == "Respuesta [1] y  fin [2]"
    assert "[42]" not in shown and "[4" not in shown


def test_stream_filter_releases_plain_brackets():
    f = StreamFilter(2)
    shown = "".join(f.feed(p) for p in ["lista [a", "] y [", "texto largo que no es marcador"]) + f.flush()
    assert shown == "lista [a] y [texto largo que no es marcador"


def test_a_marker_cut_off_by_the_end_of_the_generation_is_dropped():
    said = "Top-p usa la probabilidad acumulada"
    assert clean_markers(f"{said} [1", 3, finished=True).rstrip() == said
    assert clean_markers(f"{said} [1, ", 3, finished=True).rstrip() == said
    assert clean_markers(f"{said} [1].", 3, finished=True) == f"{said} [1]."
    assert clean_markers(f"{said} [1", 3) == f"{said} [1"  # still streaming: it may close


@pytest.mark.parametrize("n_sources", [1, 3, 12])
def test_the_citation_grammar_is_valid_gbnf_with_one_number_per_source(n_sources):
    from llama_cpp import LlamaGrammar

    grammar = citation_grammar(n_sources)
    LlamaGrammar.from_string(grammar, verbose=False)  # llama.cpp's parser raises on a syntax error
    numbers = re.search(r"^number ::= (.*)$", grammar, re.M).group(1)
    assert re.findall(r'"(\d+)"', numbers) == [str(n) for n in range(1, n_sources + 1)]
    assert "{0,3}" in grammar  # at most four sentences


def test_markers_written_after_the_full_stop_join_their_sentence():
    from tutor.answer import attach_markers

    assert attach_markers("Top-P fija un umbral. [2] Top-K fija K.") == "Top-P fija un umbral [2]. Top-K fija K."
    assert attach_markers("GPT solo usa decoders. [1], [2]") == "GPT solo usa decoders [1] [2]."
    assert attach_markers("Solo decoders.\n[1] [3]") == "Solo decoders [1] [3]."
    assert attach_markers("Ya en su sitio [1].") == "Ya en su sitio [1]."
    # seen in a window trial: «…early if necessary [1]. [1]» was shown as «…necessary [1] [1].»
    assert attach_markers("Para antes si hace falta [1]. [1]") == "Para antes si hace falta [1]."
    assert attach_markers("Uno [2] [1] [2]. Dos [1].") == "Uno [2] [1]. Dos [1]."
    # a comma left before the markers (seen in dev runs: «…de la tarea, [1].», «…occur, .»)
    assert attach_markers("Incluye la tarea, [1]. Y el contexto, [2], y el formato, [3] .") == (
        "Incluye la tarea [1]. Y el contexto [2], y el formato [3]."
    )
    assert attach_markers("It alerts users when problems occur, .") == "It alerts users when problems occur."
    # a full stop before the markers and one after them (seen in live runs: «…etc [3]..», «…contexto [1] [2]..»)
    assert attach_markers("Predice el siguiente token, etc. [3]. Luego sigue.") == (
        "Predice el siguiente token, etc [3]. Luego sigue."
    )
    assert attach_markers("Según su contexto. [1] [2].") == "Según su contexto [1] [2]."
    assert attach_markers("Y así sigue [1]...") == "Y así sigue [1]..."
    assert attach_markers("Top-K, top-p y una temperatura de 0,5 [1].") == "Top-K, top-p y una temperatura de 0,5 [1]."
    # markers that open a line label it: they end its first sentence, not the previous paragraph's
    labelled = "Model Monitor vigila.\n\n[1] Detecta la deriva. Avisa.\n\n[2], [3] Ground Truth etiqueta"
    assert attach_markers(labelled) == (
        "Model Monitor vigila.\n\nDetecta la deriva [1]. Avisa.\n\nGround Truth etiqueta [2] [3]"
    )


def test_markers_written_as_list_numbers_after_a_colon_make_a_list():
    """Seen in a student trial: «…incluidos los siguientes: [1] instancias de Amazon EC2 [2] imágenes de
    contenedores [3] funciones de AWS Lambda» was a right answer, thrown away because its «[n]» cited nothing."""
    from tutor.answer import markers_as_items, tidy_generation

    listed = "Escanea los siguientes: [1] instancias de Amazon EC2 [2] imágenes de contenedores [3] funciones Lambda."
    assert markers_as_items(listed) == (
        "Escanea los siguientes:\n- instancias de Amazon EC2\n- imágenes de contenedores\n- funciones Lambda."
    )
    assert tidy_generation(listed, 2).count("\n- ") == 3  # a fourth item's «[3]» would not be a source either
    for cited in (
        "La temperatura controla la aleatoriedad [1]. Top-p: [2] limita las palabras.",  # one marker: a citation
        "Hay dos: [2] X y [1] Y.",  # not in order from 1
        "Top-p fija un umbral [1] y top-k fija K [2].",  # markers that close what they cite
    ):
        assert markers_as_items(cited) == cited


def test_markers_written_as_list_numbers_inside_a_sentence_are_taken_out():
    """Seen in a dev run: «…fueron [1] mejorar la satisfacción del cliente, [2] aumentar la eficiencia…» was shown
    as «…del cliente, [2] aumentar…», a citation in the middle of a list that numbered it."""
    from tutor.answer import tidy_generation

    listed = "Las metas fueron [1] mejorar la satisfacción del cliente, [2] aumentar la eficiencia y bajar costes."
    assert tidy_generation(listed, 3) == (
        "Las metas fueron mejorar la satisfacción del cliente, aumentar la eficiencia y bajar costes."
    )
    for cited in (  # markers that close what they cite, or [1] and [2] in two sentences: citations
        "Top-P fija un umbral [1] y Top-K fija K [2].",
        "Top-P [1] fija un umbral, y Top-K [2] fija K.",
        "Son [1] pocas. Luego, [2] muchas.",
    ):
        assert tidy_generation(cited, 3) == cited


@pytest.mark.parametrize(
    "text, expected",
    [
        ("El servicio que debe usar es", True),
        ("La técnica es la", True),
        ("el uso de", True),
        ("The service is called", True),
        ("Se ajusta como", True),
        ("Amazon SageMaker Clarify detecta sesgos", False),
        ("CloudTrail registra las llamadas", False),  # «las» ends a noun here, not the text
        ("Son clases", False),
        ("", False),
    ],
)
def test_a_marker_after_a_verb_to_be_an_article_or_a_preposition_stands_for_a_noun(text, expected):
    assert marker_would_stand_for_a_noun(text) is expected


def test_the_marker_guard_masks_marker_tokens_only_where_a_noun_is_missing():
    from tutor.llm import MarkerGuard

    vocab = {0: "El", 1: " servicio", 2: " es", 3: " [", 4: "1", 5: "]", 6: " Amazon", 7: " Macie"}
    text = lambda ids: "".join(vocab[i] for i in ids)  # noqa: E731
    guard = MarkerGuard(text, [3])
    scores = np.zeros(len(vocab))
    assert np.isneginf(guard(np.array([0, 1, 2]), scores.copy())[3])  # «El servicio es [» never
    after_name = guard(np.array([0, 1, 2, 6, 7]), scores.copy())  # «El servicio es Amazon Macie [1]» is fine
    assert np.isfinite(after_name).all()
    assert np.isfinite(MarkerGuard(text, [])(np.array([0, 1, 2]), scores.copy())).all()


def test_the_fallback_quotes_the_one_slide_that_writes_the_names_the_discarded_answer_wrote():
    """Seen on dev-007 with the real model: the discarded answer named «Amazon Augmented AI (A2I)», on the second
    source; the passages quoted the first («Reentrenamiento…»). A name several sources write, or none, changes
    nothing."""
    from tutor.answer import named_first
    from tutor.types import Source

    sources = [
        Source("s3.pdf", 7, "Reentrenamiento", "Reentrenamiento: revisar los datos y las características.", 1.0),
        Source(
            "s4.pdf", 10, "Gobernanza", "Amazon Augmented AI (A2I)\nImplementar revisión humana de predicciones.", 0.9
        ),
        Source("s3b.pdf", 8, "SageMaker", "Amazon SageMaker es un servicio de ML gestionado. Amazon A2I no.", 0.8),
    ]
    text = "Amazon Augmented AI (A2I) permite que una persona revise las predicciones [1]."
    assert named_first(text, sources, [1, 2, 3]) == [2, 1, 3]
    assert named_first("Usa AWS CloudWatch para eso [1].", sources, [1, 2, 3]) == [1, 2, 3]
    assert named_first("Amazon SageMaker y Amazon Augmented AI (A2I) [1].", sources, [1, 2, 3]) == [1, 2, 3]
