"""The sentence checker (tutor/claims.py) and the grounding built on it (tutor/grounding.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import REAL_COURSE, ROOT
from tutor.claims import clauses, judge, prepare
from tutor.grounding import ground
from tutor.grounding_eval import evaluate_grounding, metrics
from tutor.types import Source
from tutor.verify import Opinion

SAMPLING = Source(
    file="parametros.pdf",
    page=3,
    title="Controles de generación",
    text=(
        "Controles de generación\n"
        "5.3.1. Top-P (Muestreo de Núcleo)\n"
        "- Definición: Establece un umbral de probabilidad para que un token sea considerado como candidato\n"
        "- Funcionamiento: Solo se consideran tokens cuya probabilidad acumulada no exceda el valor de P\n"
        "5.3.2. Top-K\n"
        "- Definición: Limita la selección a los K tokens más probables\n"
        "5.3.3. Temperatura\n"
        "- Definición: Controla el grado de aleatoriedad en la selección final entre los tokens candidatos\n"
        "- Escala: Generalmente entre 0 y 1\n"
        "- Temperatura = 0: Determinista, siempre selecciona el token más probable"
    ),
    score=0.0,
)
SECURITY = Source(
    file="seguridad.pdf",
    page=7,
    title="AWS PrivateLink",
    text=(
        "AWS PrivateLink\n"
        "Conecta la VPC con los servicios de AWS de forma privada, "
        "sin enviar el tráfico a través de internet pública.\n"
        "Amazon Macie\n"
        "- Automatiza la detección de datos confidenciales a escala\n"
        "- Permite obtener una visibilidad rentable de los datos confidenciales almacenados en Amazon S3"
    ),
    score=0.0,
)
SOURCES = [SAMPLING, SECURITY]


def verdict(sentence: str):
    return judge(sentence, prepare(SOURCES))


def test_a_faithful_paraphrase_is_supported_and_cited():
    result = verdict("Top-K restringe la elección a los K tokens con mayor probabilidad.")
    assert result.label == "supported" and result.cited == [1]


def test_an_english_sentence_about_spanish_slides_is_supported():
    result = verdict("Amazon Macie automates the discovery of sensitive data at scale.")
    assert result.label == "supported" and result.cited == [2]


MONITORING = Source(
    file="seguridad.pdf",
    page=20,
    title="AWS CloudWatch",
    text=(
        "AWS CloudWatch\n"
        "Supervisa la infraestructura y recursos de AWS y locales en tiempo real\n"
        "Permite configurar alertas y acciones automáticas en respuesta a métricas\n"
        "AWS CloudTrail\n"
        "Realiza un seguimiento de las actividades de los usuarios y las solicitudes de API en toda la "
        "infraestructura de AWS\n"
        "Filtra los registros generados por las llamadas a la API para ayudar con el análisis operativo"
    ),
    score=0.0,
)


def test_a_terse_english_sentence_is_read_in_the_answers_language():
    # No function word says «tracks API calls» is English: the answer's language does, and the glossary reads it.
    assert ground("CloudTrail tracks API calls [1].", [MONITORING], language="en").verdicts[0].label == "supported"
    both = "CloudTrail tracks API calls, while CloudWatch gives you metrics and alarms [1]."
    assert ground(both, [MONITORING], language="en").text == both
    swapped = "CloudWatch tracks API calls, while CloudTrail gives you metrics and alarms [1]."
    assert ground(swapped, [MONITORING], language="en").verdicts[0].label == "contradicted"


GOVERNANCE = Source(
    file="seguridad.pdf",
    page=12,
    title="Amazon SageMaker Role Manager",
    text=(
        "Amazon SageMaker Role Manager\n"
        "Define permisos mínimos en minutos\n"
        "Amazon SageMaker Model Cards\n"
        "Documenta, recupera y comparte la información necesaria del modelo\n"
        "Amazon SageMaker Model Dashboard\n"
        "Supervisa el rendimiento del modelo a través de una vista unificada"
    ),
    score=0.0,
)


def test_a_name_is_not_stretched_over_the_next_products_heading():
    # «Model Cards» and «Supervisa el rendimiento…» fit in one window, but the heading «Model Dashboard» is between.
    cards = "Amazon SageMaker Model Cards supervisa el rendimiento del modelo a través de una vista unificada."
    assert ground(cards, [GOVERNANCE]).verdicts[0].label == "contradicted"
    dashboard = "Amazon SageMaker Model Dashboard supervisa el rendimiento del modelo a través de una vista unificada."
    assert ground(dashboard, [GOVERNANCE]).verdicts[0].label == "supported"
    # An item of a list that names a product («Instancias de Amazon EC2») is no heading of another section.
    scanner = Source(
        file="seguridad.pdf",
        page=22,
        title="Amazon Inspector",
        text=(
            "Amazon Inspector\n"
            "Amazon Inspector escanea continuamente los recursos, incluidos los siguientes:\n"
            "Instancias de Amazon EC2\n"
            "Imágenes de contenedores en Amazon Elastic Container Registry\n"
            "Funciones de AWS Lambda"
        ),
        score=0.0,
    )
    claim = "Amazon Inspector escanea continuamente las imágenes de contenedores en Amazon Elastic Container Registry."
    assert ground(claim, [scanner]).verdicts[0].label == "supported"


def test_a_swapped_number_is_contradicted():
    result = verdict("La escala de la temperatura va generalmente entre 0 y 5.")
    assert result.label == "contradicted" and "5" in result.reason


def test_a_negation_is_contradicted():
    result = verdict("AWS PrivateLink envía el tráfico a través de internet pública.")
    assert result.label == "contradicted" and "negation" in result.reason


def test_a_swapped_name_is_contradicted():
    result = verdict("Top-K establece un umbral de probabilidad para que un token sea considerado como candidato.")
    assert result.label == "contradicted"


def test_an_exam_word_in_capitals_is_no_name():
    """«LEAST» from an exam question is emphasis, not a product the course never mentions."""
    claim = "With the LEAST effort, Top-K limita la selección a los K tokens más probables."
    assert verdict(claim).label == "supported"


def test_an_invented_sentence_is_unsupported():
    assert verdict("El servicio cuesta cinco dólares al mes y se factura por región.").label == "unsupported"


def test_a_claim_with_an_invented_part_is_unsupported():
    result = verdict("Macie automatiza la detección de datos confidenciales, y además los borra cada semana.")
    assert result.label == "unsupported"


def test_clauses_split_at_contrasts_and_keep_lists_whole():
    assert clauses("Top-K fija K, mientras que Top-P usa un umbral de probabilidad.") == [
        "Top-K fija K",
        "mientras que Top-P usa un umbral de probabilidad.",
    ]
    assert len(clauses("Incluye datos, modelos y métricas de calidad.")) == 1


def test_ground_keeps_supported_marks_unsupported_and_drops_contradicted():
    answer = (
        "La temperatura controla el grado de aleatoriedad en la selección final [2]. "
        "AWS PrivateLink envía el tráfico de la VPC a través de internet pública [2]. "
        "El modelo también consulta la web para comprobar los datos que genera."
    )
    result = ground(answer, SOURCES)
    assert result.text == (
        "La temperatura controla el grado de aleatoriedad en la selección final [1]. "
        "El modelo también consulta la web para comprobar los datos que genera (no está en el curso)."
    )
    assert [v.label for v in result.verdicts] == ["supported", "contradicted", "unsupported"]
    assert result.dropped == ["AWS PrivateLink envía el tráfico de la VPC a través de internet pública [2]."]
    assert result.cited == [1] and not result.usable


def test_ground_marks_english_in_english_and_keeps_a_grounded_answer_usable():
    answer = "Amazon Macie automates the discovery of sensitive data at scale [2]. It also prints invoices every day."
    result = ground(answer, SOURCES)
    assert result.text.startswith("Amazon Macie automates the discovery of sensitive data at scale [2].")
    assert result.text.endswith("It also prints invoices every day (not in the course).")
    assert 0 < result.grounded_share < 1


def test_a_sentence_about_a_sources_file_is_left_out():
    """Seen in a student trial, under a practice question's choice: «This option supports slide from the
    "semana4-optimizacion-fm-seguridad-gobierno.pdf" course (not in the course).»: talk about the sources."""
    answer = (
        'This option supports slide [2] from the "semana4-optimizacion-fm-seguridad-gobierno.pdf" course. '
        "Amazon Macie automates the discovery of sensitive data at scale [2]."
    )
    result = ground(answer, SOURCES, lambda sentence: Opinion(0.7))
    assert result.text == "Amazon Macie automates the discovery of sensitive data at scale [2]."


def test_a_sentence_that_says_the_slides_state_what_they_do_not_is_dropped_not_marked():
    """An instruction-tuned model's «The slides state that "…"» around a claim the slides do not make misquotes
    them: a «(not in the course)» after it would contradict itself. A full stop inside closing quotes ends a
    sentence, so the next one is judged on its own."""
    answer = (
        'The slides state that "the model also checks the web for the data it generates." '
        "Amazon Macie automates the discovery of sensitive data at scale [2]. "
        "It also prints invoices every day."
    )
    unsure = lambda sentence: Opinion(0.7)  # noqa: E731  (an instruction-tuned model: keeps, rescues nothing)
    result = ground(answer, SOURCES, unsure)
    assert result.dropped == ['The slides state that "the model also checks the web for the data it generates."']
    assert result.text == (
        "Amazon Macie automates the discovery of sensitive data at scale [2]. "
        "It also prints invoices every day (not in the course)."
    )
    spanish = "Según las diapositivas, el modelo consulta la web para comprobar lo que genera."
    assert ground(spanish, SOURCES, unsure).text == ""
    # a base model's answer starts with our own «Según las diapositivas, »: marked, as any unsupported sentence
    assert ground(spanish, SOURCES).text.endswith("genera (no está en el curso).")
    numbered = (  # seen in the window under a practice question's choice, about a slide on AWS Config
        "Slide 21 supports this by explaining that Amazon GuardDuty scans continuously for threats.",
        "Como muestra la diapositiva 4, el modelo consulta la web para comprobar lo que genera.",
        "As described on slide 2, the model also checks the web for the data it generates.",
    )
    for sentence in numbered:
        assert ground(sentence, SOURCES, unsure).text == "", sentence
    said = 'Las diapositivas dicen que "Top-K limita la selección a los K tokens más probables."'
    quoted = ground(said, SOURCES, unsure)
    assert quoted.text.endswith("[1]") and not quoted.dropped  # a supported attribution stays, cited


def test_metrics_count_caught_wrong_claims_and_supported_precision():
    rows = [
        {"label": "supported", "predicted": "supported", "type": "paraphrase"},
        {"label": "supported", "predicted": "unsupported", "type": "translation"},
        {"label": "contradicted", "predicted": "unsupported", "type": "negation"},
        {"label": "unsupported", "predicted": "supported", "type": "invented"},
    ]
    report = metrics(rows)
    assert report["precision"] == 0.5 and report["recall"] == 0.5 and report["caught"] == 0.5
    assert report["per_type"] == {"invented": 0.0, "negation": 1.0, "paraphrase": 1.0, "translation": 0.0}
    assert report["confusion"]["contradicted"]["unsupported"] == 1


@pytest.mark.integration
def test_checker_keeps_its_measured_level_on_the_held_out_half(real_course):
    """A regression guard at the level the word match alone reaches on the check half (precision 0.745, recall
    0.761, caught 0.769, with MIN_COVERAGE chosen on the tune half). With the model's opinion it is 0.875 /
    0.761 / 0.904; the issue's precision target, 0.9, is not reached on the check half yet (docs/USER_GUIDE.md,
    "How answers are made trustworthy")."""
    report = evaluate_grounding(ROOT / "eval" / "grounding.jsonl", REAL_COURSE, split="check")
    assert report["cases"] >= 90
    assert report["precision"] >= 0.74, report
    assert report["recall"] >= 0.73, report
    assert report["caught"] >= 0.76, report


def test_a_name_written_with_a_space_on_the_slide_is_the_same_name():
    """«Top p» on a slide and «Top-P» in the answer are one parameter: a copied sentence stays supported."""
    slide = Source(
        "curso.pdf",
        11,
        "Filtrado",
        "Top k\nSelecciona los k tokens más probables\nTop p\n"
        "Selecciona tokens en función de la probabilidad acumulativa hasta que se alcance el umbral.",
        0.0,
    )
    result = ground("Top-P selecciona tokens en función de la probabilidad acumulativa hasta el umbral [1].", [slide])
    assert [v.label for v in result.verdicts] == ["supported"] and result.cited == [1]


INVENTED = "La temperatura fue inventada por Alan Turing en 1950 durante la guerra para cifrar mensajes secretos."


def test_a_mostly_unsupported_answer_keeps_only_its_supported_sentences():
    answer = f"Top-K limita la selección a los K tokens más probables [1].\n3.\n{INVENTED}"
    result = ground(answer, SOURCES)
    assert not result.usable and result.partly_usable
    assert result.supported_text == "Top-K limita la selección a los K tokens más probables [1]."  # no fragment
    assert result.omitted == 1 and result.supported_cited == [1]
    swapped = ground(f"{answer} Top-P limita la selección a los K tokens más probables.", SOURCES)
    assert len(swapped.dropped) == 1 and swapped.omitted == 2  # a contradicted sentence is left out too


def test_an_answer_with_nothing_supported_is_not_even_partly_usable():
    result = ground(INVENTED, SOURCES)
    assert not result.usable and not result.partly_usable and result.supported_text == ""


def test_markers_on_a_sentence_too_short_to_judge_are_dropped():
    result = ground("Sí, claro [2]. Top-K limita la selección a los K tokens más probables [1].", SOURCES)
    assert "[2]" not in result.text and result.cited == [1]
    # a last short introduction with nothing after it is left out; one a list follows stays
    dangling = ground("Top-K limita la selección a los K tokens más probables [1]. Recursos: [2]", SOURCES)
    assert dangling.text == "Top-K limita la selección a los K tokens más probables [1]."
    listed = ground("Top-K limita la selección a los K tokens más probables [1]. Ejemplo:\n- top-k = 40", SOURCES)
    assert "Ejemplo:" in listed.text


def test_a_partial_answer_is_shown_with_a_note_and_the_slide_passages():
    from tutor.answer import Answer, finish_answer
    from tutor.prompt import PromptPlan

    plan = PromptPlan(tokens=[], sources=SOURCES, history_turns=0, style="chat", budget=0)
    question = "¿Qué es top-k?"
    raw = f"Top-K limita la selección a los K tokens más probables [1]. {INVENTED}"
    answer = finish_answer(Answer(question, "", False, SOURCES, [], {}, "es"), raw, plan, [1, 2])
    assert answer.kind == "generated" and answer.cited[0] == 1
    assert answer.answer.startswith("Top-K limita la selección a los K tokens más probables [1].")
    assert "Turing" not in answer.answer and "He omitido 1 frase(s)" in answer.answer
    assert answer.extract and answer.answer.endswith(answer.extract)
    base = replace(plan, style="completion")  # a base model's supported fragments are not shown alone
    answer = finish_answer(Answer(question, "", False, SOURCES, [], {}, "es"), raw, base, [1, 2])
    assert answer.kind == "passages" and "He omitido" not in answer.answer


def test_a_line_repeated_on_a_slide_is_quoted_once():
    from tutor.grounding import key_passages

    slide = Source("log.pdf", 2, "Logs", "1) Logs de entrenamiento.\n3) API calls para Amazon SageMaker.\n"
                   "3) API calls para Amazon SageMaker.\n", score=0.0)  # fmt: skip
    picked = [text for _, text in key_passages("API calls SageMaker", [slide])]
    assert len(picked) == len(set(picked)) == 2
    # nor is a line quoted again inside a longer one (a slide's answer option glued to the question it repeats)
    text = (
        "Acceso a FMs en Amazon Bedrock para tu empresa.\nOtra línea sobre el acceso a modelos.\n"
        "Amazon Macie Acceso a FMs en Amazon Bedrock para tu empresa.\n"
    )
    quiz = Source("quiz.pdf", 25, "Acceso", text, score=0.0)
    picked = [text for _, text in key_passages("acceso a Amazon Bedrock", [quiz])]
    assert "Amazon Macie Acceso a FMs en Amazon Bedrock para tu empresa." in picked
    assert "Acceso a FMs en Amazon Bedrock para tu empresa." not in picked


def test_a_line_that_only_repeats_the_slide_title_is_not_quoted_and_cut_sentences_show_their_cut():
    """On the real course the RAG slide's excerpt starts «Optimización de modelos fundacionales 2.» (its title and
    a number): it was the first of three passages for a RAG question. A sentence an excerpt cut is quoted with
    «…» where it was cut."""
    from tutor.grounding import key_passages

    text = (
        "Optimización de modelos fundacionales 2.\n"
        "utilizando una base de conocimientos externa al modelo.\n"
        "Retrieval-Augmented Generation (RAG) optimiza la salida de un modelo con una base de conocimientos.\n"
        "Se trata de un método rentable para mejorar los"
    )
    slide = Source("semana4.pdf", 2, "1. Optimización de modelos fundacionales", text, score=0.0)
    picked = [text for _, text in key_passages("¿Qué es RAG y por qué es rentable en modelos fundacionales?", [slide])]
    assert "Optimización de modelos fundacionales 2." not in picked
    assert "…utilizando una base de conocimientos externa al modelo." in picked
    assert "Se trata de un método rentable para mejorar los…" in picked


def test_a_logo_line_that_says_a_name_twice_is_not_a_passage():
    """The real course's Macie slide has the logo's text «Amazon Macie Amazon Macie» on a line of its own; a
    student was shown it as one of three passages about AWS KMS."""
    from tutor.grounding import key_passages

    text = (  # as the PDF gives it
        "AWS Key\nManagement\nService\n- **AWS Key Management Service (AWS KMS)** ayuda a los clientes a realizar "
        "operaciones de cifrado.\n- Se puede elegir los niveles específicos de control de acceso necesarios para "
        "las llaves.\nAmazon Macie\nAmazon Macie\n- Automatiza la detección de datos confidenciales a escala\n"
    )
    slide = Source("seguridad.pdf", 17, "KMS", text, score=0.0)
    picked = [text for _, text in key_passages("¿Para qué sirve AWS KMS?", [slide])]
    assert len(picked) == 3 and "Amazon Macie Amazon Macie" not in picked
    assert "Se puede elegir los niveles específicos de control de acceso necesarios para las llaves." in picked


def test_a_logo_in_capitals_at_a_slides_foot_is_not_a_passage():
    """The real course's Clarify slide ends with the community's logo; «AWS COMMUNITY CARTAGENA Managing
    features» (the logo and the next slide's heading) was shown as a passage about Clarify's features."""
    from tutor.grounding import key_passages

    text = (
        "Amazon SageMaker Clarify ayuda a mejorar la calidad de los\nmodelos proporcionando herramientas para:\n"
        "- Detección de sesgos durante la preparación de datos.\n- Explicabilidad del modelo, generando informes "
        "sobre las predicciones:\nAWS COMMUNITY CARTAGENA"
    )
    slide = Source("semana3.pdf", 10, "Amazon SageMaker Clarify", text, score=0.0)
    picked = [text for _, text in key_passages("Which features explain a model? AWS community", [slide])]
    assert not any("COMMUNITY" in line for line in picked)
    assert picked[0].endswith("herramientas para: Detección de sesgos durante la preparación de datos.")


def test_an_agenda_item_is_not_quoted_but_a_range_that_ends_in_a_number_is():
    """The real course's RAG slide carries an agenda item of another deck part («Seguridad, cumplimiento y
    gobierno de soluciones IA 1.»): it was the first of three passages under an answer about RAG."""
    from tutor.grounding import key_passages

    text = (
        "Seguridad, cumplimiento y gobierno de soluciones IA 1.\n"
        "Ingeniería de prompts 2.\n"
        "RAG optimiza la salida de un modelo con una base de conocimientos externa.\n"
        "La relevancia de cada fragmento vale entre 0 y 1."
    )
    slide = Source("semana4.pdf", 2, "Optimización de modelos fundacionales", text, score=0.0)
    question = "¿Qué es RAG, con qué seguridad y gobierno, y cuánto vale la relevancia del prompt?"
    picked = [text for _, text in key_passages(question, [slide])]
    assert picked == [
        "RAG optimiza la salida de un modelo con una base de conocimientos externa.",
        "La relevancia de cada fragmento vale entre 0 y 1.",
    ]


def test_the_quoted_lines_answer_a_need_the_question_describes_in_other_words():
    """«the same question gets different wordings each time» is the temperature: the slide's temperature line is
    quoted, not its lines about tokens that share the question's English words."""
    from tutor.grounding import key_passages

    text = (
        "Los LLM operan con tokens que se transforman en embeddings.\n"
        "La ventana de contexto determina cuántos tokens procesa el modelo a la vez.\n"
        "Bajar la temperatura produce respuestas más consistentes y menos aleatorias.\n"
    )
    slide = Source("apuntes.pdf", 12, "Parámetros", text, score=0.0)
    question = "Users get different wordings each time for the same question. Which parameter should they lower?"
    picked = [line for _, line in key_passages(question, [slide], limit=1)]
    assert picked == ["Bajar la temperatura produce respuestas más consistentes y menos aleatorias."]


def test_a_sentence_whose_answer_is_only_a_marker_is_left_out():
    from tutor.answer import Answer, finish_answer
    from tutor.prompt import PromptPlan

    good = "Top-K limita la selección a los K tokens más probables [1]."
    dodges = (
        "El parámetro que limita los candidatos es [1].",
        "Los parámetros de muestreo son [1] y [2].",
        "Este tipo de muestreo es el [1] de núcleo, que fija un umbral.",  # a marker inside the sentence
    )
    for dodge in dodges:
        grounding = ground(f"{dodge} {good}", SOURCES)
        assert grounding.text == good and grounding.dropped == [dodge]
    # a marker after a name, after a preposition or before a name: the sentence reads without it, so it is judged
    for kept in (
        "Top-K [1] limita la selección a los K tokens más probables.",
        "A partir de [1], Top-K limita la selección a los K tokens más probables.",
        "Como [1] explica, Top-K limita la selección a los K tokens más probables.",
    ):
        assert ground(kept, SOURCES).verdicts[0].label == "supported", kept
    plan = PromptPlan(tokens=[], sources=SOURCES, history_turns=0, style="chat", budget=0)
    question = "¿Qué parámetro limita la selección a los K tokens más probables?"
    answer = finish_answer(Answer(question, "", False, SOURCES, [], {}, "es"), "El parámetro es [1].", plan, [1, 2])
    assert answer.kind == "passages"  # nothing of the model's is left to show: the slide's lines instead
    assert finish_answer(Answer(question, "", False, SOURCES, [], {}, "es"), good, plan, [1, 2]).kind == "generated"


def test_a_sentence_written_twice_is_shown_once_and_bare_dots_not_at_all():
    good = "Top-K limita la selección a los K tokens más probables [1]."
    assert ground(f"{good}\n...\n{good}\n.. .", SOURCES).text == good


def test_a_label_line_is_quoted_with_its_content_not_glued_to_the_line_before():
    from tutor.grounding import key_passages

    text = (
        "Un valor K más alto aumenta la variabilidad de las respuestas\nDiferencia con Top-P:\n"
        "Top-K selecciona un número fijo de candidatos, mientras que Top-P\nselecciona basado en un umbral.\n"
        "Existen tres matrices de pesos que se aprenden durante\nel entrenamiento:\n"
        "Los controles determinan el comportamiento final del\nLLM:\n"
    )
    notes = Source("apuntes.pdf", 11, "Top-K", text, score=0.0)
    picked = [text for _, text in key_passages("¿Qué diferencia hay entre top-k y top-p?", [notes], limit=9)]
    assert "Un valor K más alto aumenta la variabilidad de las respuestas" in picked
    assert (
        "Diferencia con Top-P: Top-K selecciona un número fijo de candidatos, mientras que Top-P selecciona "
        "basado en un umbral." in picked
    )
    # the wrapped end of a sentence that happens to end in «:» is not a label
    # (quoted with the line after it, as what it announces)
    assert any(
        line.startswith("Existen tres matrices de pesos que se aprenden durante el entrenamiento: ") for line in picked
    )
    assert any(line.endswith(" Los controles determinan el comportamiento final del LLM:") for line in picked)


def test_a_dangling_heading_at_the_end_is_left_out_but_a_last_list_item_stays():
    sentence = "Top-K limita la selección a los K tokens más probables [1]."
    assert ground(f"{sentence}\nOverfitting (sobreajuste)", SOURCES).text == sentence
    assert ground(f"{sentence}\n- Top-P", SOURCES).text == f"{sentence}\n- Top-P"


def test_an_instruct_models_answer_ends_with_the_best_slides_lines():
    from tutor.answer import Answer, finish_answer
    from tutor.prompt import PromptPlan

    plan = PromptPlan(tokens=[], sources=SOURCES, history_turns=0, style="chat", budget=0)
    question = "¿Qué hace Amazon Macie?"
    raw = "Amazon Macie automatiza la detección de datos confidenciales a escala [2]."
    answer = finish_answer(Answer(question, "", False, SOURCES, [], {}, "es"), raw, plan, [2, 1])
    assert answer.kind == "generated" and answer.answer.startswith(raw)
    assert answer.extract.startswith("Del curso, literalmente:") and answer.answer.endswith(answer.extract)
    quoted = answer.extract.splitlines()[1:]
    assert quoted and all(line.endswith("[2]") for line in quoted)  # the best-ranked slide
    assert any("Amazon S3" in line for line in quoted)
    never = finish_answer(Answer(question, "", False, SOURCES, [], {}, "es"), raw, plan, [2, 1], "never")
    assert never.answer == raw and not never.extract


def test_the_window_sets_the_quoted_lines_apart_from_the_answer():
    from tutor.answer import Answer, finish_answer
    from tutor.conversation import Turn
    from tutor.gui.render import conversation_html
    from tutor.prompt import PromptPlan

    plan = PromptPlan(tokens=[], sources=SOURCES, history_turns=0, style="chat", budget=0)
    raw = "Amazon Macie automatiza la detección de datos confidenciales a escala [2]."
    answer = finish_answer(Answer("¿Qué hace Amazon Macie?", "", False, SOURCES, [], {}, "es"), raw, plan, [2, 1])
    page = conversation_html([Turn(answer.question, result=answer)])
    own, quoted = page.split('<div style="color:#444;font-size:small;background:#f4f4f4">')
    assert "Amazon Macie automatiza" in own and "Del curso, literalmente" not in own
    assert "Del curso, literalmente" in quoted and "Amazon S3" in quoted and 'href="cite:0:2"' in quoted


def test_a_lessened_word_is_neither_affirmed_nor_negated():
    privacy = Source(
        file="seguridad.pdf",
        page=9,
        title="Privacidad",
        text="Privacidad\nLa VPC privada reduce la exposición de datos sensibles a internet.",
        score=0.0,
    )
    # «sin exponer los datos» says what «reduce la exposición» says; it is no negation of it
    unexposed = ground("La VPC privada permite trabajar sin exponer datos sensibles a internet.", [privacy])
    assert unexposed.verdicts[0].label != "contradicted"
    # a real negation still is one
    privatelink = "AWS PrivateLink no conecta la VPC con los servicios de AWS de forma privada."
    assert ground(privatelink, [SECURITY]).verdicts[0].label == "contradicted"


def test_a_slides_name_title_covers_its_lines_past_a_banner_but_not_past_another_products_heading():
    jumpstart = Source(
        file="desarrollo.pdf",
        page=22,
        title="SageMaker Jumpstart",
        text=(
            "SageMaker Jumpstart\nCloudOps Guild\nTogether, towards mastery in Cloud and DevOps\n"
            "Con SageMaker JumpStart, puedes desplegar, ajustar y evaluar modelos preentrenados.\n"
            "Características principales\n"
            "- Proporciona modelos preentrenados de código abierto de proveedores líderes.\n"
            "- Permite entrenar y ajustar estos modelos de forma incremental antes de su despliegue.\n"
            "- Incluye plantillas de solución que configuran la infraestructura necesaria para casos de uso comunes."
        ),
        score=0.0,
    )
    claim = "SageMaker JumpStart incluye plantillas de solución que configuran la infraestructura para casos de uso."
    assert ground(claim, [jumpstart]).verdicts[0].label == "supported"
    # the title «Amazon SageMaker Role Manager» does not reach the lines under «… Model Dashboard»
    borrowed = "Amazon SageMaker Role Manager supervisa el rendimiento del modelo a través de una vista unificada."
    assert ground(borrowed, [GOVERNANCE]).verdicts[0].label == "contradicted"


def test_an_answer_cut_by_the_token_limit_loses_its_unfinished_last_sentence():
    from tutor.answer import Answer, drop_unfinished, finish_answer
    from tutor.prompt import PromptPlan

    plan = PromptPlan(tokens=[], sources=SOURCES, history_turns=0, style="chat", budget=0)
    whole = "Amazon Macie automatiza la detección de datos confidenciales a escala [2]."
    raw = f"{whole} También permite obtener una visibilidad rentable de los datos confidenciales almacenados en"

    def finish(tokens: int) -> Answer:
        answer = Answer("¿Qué hace Amazon Macie?", "", False, SOURCES, [], {"max_tokens": 40}, "es")
        answer.usage["completion_tokens"] = tokens
        return finish_answer(answer, raw, plan, [2, 1], "never")

    assert finish(40).answer == whole  # stopped by the limit: the fragment is left out
    assert "almacenados en" in finish(25).answer  # the model ended there itself: nothing is cut
    listed = "Pasos:\n1. Definir el problema [1].\n2. Preparar los datos [2]. Después se\n3."
    assert drop_unfinished(listed) == "Pasos:\n1. Definir el problema [1].\n2. Preparar los datos [2]."
    assert (
        drop_unfinished("Pasos:\n1. Definir el problema [1].\n2. Preprocesar y")
        == "Pasos:\n1. Definir el problema [1]."
    )
    # the line that introduced the cut fragment goes with it («… porque (no está en el curso):» was shown last)
    introduced = "Top-k fija K [1].\nNo es correcto B (Amazon Polly) porque:\nAmazon Polly convierte texto en voz, no"
    assert drop_unfinished(introduced) == "Top-k fija K [1]."
    assert drop_unfinished("Pasos:\nDefinir el problema") == "Pasos:"  # nothing else to show: kept


def test_a_list_item_whose_sentence_is_left_out_loses_its_number_too():
    """Found in a practice question's explanation: «3.» stood alone where a contradicted item had been."""
    kept = "La temperatura controla la aleatoriedad [1]."
    listed = f"Parámetros:\n1. {kept}\n2. La temperatura no controla la aleatoriedad [1].\n3. Top-k"
    assert ground(listed, [SAMPLING], language="es").text == f"Parámetros:\n1. {kept}"
    # nothing left of the list: not even its introduction
    assert ground("Parámetros:\n1. La temperatura no controla la aleatoriedad [1].", [SAMPLING]).text == ""
    numbered = f"1. {kept}\n2. Top-k limita la selección a los K tokens más probables [1]."
    assert ground(numbered, [SAMPLING], language="es").text == numbered
    # the list counts from 1 again when its first items were left out
    first_dropped = f"1. La temperatura no controla la aleatoriedad [1].\n2. {kept}\n3. Top-k limita la selección"
    assert ground(f"{first_dropped} a los K tokens más probables [1].", [SAMPLING], language="es").text == numbered


def test_a_sentence_that_only_repeats_the_question_is_left_out_unless_the_slides_say_it():
    question = "Antes usaba GitHub Copilot. ¿Qué servicio detecta datos confidenciales en Amazon S3?"
    answer = "Antes usaba GitHub Copilot. Amazon Macie automatiza la detección de datos confidenciales a escala [2]."
    result = ground(answer, SOURCES, question=question)
    assert result.text == "Amazon Macie automatiza la detección de datos confidenciales a escala [2]."
    assert result.grounded_share == 1.0  # the premise said back is not counted against the answer
    marked = ground(answer, SOURCES)  # without the question it is an unsupported claim, marked as such
    assert "Antes usaba GitHub Copilot (no está en el curso)." in marked.text
    # a sentence made of the question's words that names a new thing is an answer, not an echo
    named = "Para detectar datos confidenciales en Amazon S3 se usa Amazon Rekognition."
    assert "Rekognition" in ground(named, SOURCES, question=question).text
    # and one the slides support stays, even if it repeats the question
    echo = "Amazon Macie automatiza la detección de datos confidenciales."
    assert ground(echo, SOURCES, question="¿Amazon Macie automatiza la detección de datos confidenciales?").text


def test_what_an_answer_adds_to_the_question_is_supported_when_one_passage_says_it_about_that_topic():
    question = (
        "Un hospital recibe cada día miles de historiales de pacientes que sus médicos suben a Amazon S3 y necesita "
        "averiguar en cuáles aparecen datos confidenciales. ¿Qué servicio de AWS le conviene?"
    )
    right = (
        "Para averiguar en qué historiales de pacientes aparecen datos confidenciales, le conviene Amazon Macie [1]."
    )
    unsure = lambda sentence: Opinion(0.5)  # noqa: E731  (an instruction-tuned model that neither confirms nor denies)
    result = ground(right, SOURCES, unsure, question=question)
    assert result.text == right.replace("[1]", "[2]") and result.grounded_share == 1.0
    assert "(no está en el curso)" in ground(right, SOURCES, unsure).text  # without the question: unsupported words
    assert ground(right, SOURCES, question=question).grounded_share == 0.0  # a base model's: the rule is not applied
    # a name the slide writes on a passage about something else does not answer this question (here the checker
    # even sees the swap), nor does a name the slides never write
    for name in ("AWS PrivateLink", "Amazon Comprehend"):
        assert ground(right.replace("Amazon Macie", name), SOURCES, unsure, question=question).grounded_share == 0.0


def test_a_bare_letter_is_a_placeholder_not_what_an_answer_adds():
    from tutor.grounding import answers_in_one_passage

    slide = Source(
        "ia.pdf", 2, "IA responsable", "Dimensiones de la IA responsable: X (equidad) e Y (privacidad).", 0.0
    )
    question = "En una aseguradora, ¿qué dimensiones abarca la IA responsable?"
    evidence = prepare([slide])
    placeholder = "En tu aseguradora la IA responsable abarca dos dimensiones: X e Y."
    assert answers_in_one_passage(placeholder, question, evidence) is None
    assert answers_in_one_passage("En tu aseguradora la IA responsable abarca equidad.", question, evidence) == 0


def test_the_lines_under_a_heading_that_is_a_name_are_about_that_name():
    from tutor.grounding import answers_in_one_passage

    slide = Source(
        "seguridad.pdf",
        17,
        "Seguridad de los datos",
        "AWS PrivateLink\n"
        "Conecta la VPC con los servicios de AWS de forma privada, sin pasar por internet.\n"
        "Amazon Macie\n"
        "Automatiza la detección de datos confidenciales a escala\n"
        "Permite obtener una visibilidad rentable de los datos confidenciales almacenados en Amazon S3",
        0.0,
    )
    question = (
        "A healthcare company stores millions of files in Amazon S3 and must automatically discover which buckets "
        "hold sensitive data. Which AWS service should it use?"
    )
    evidence = prepare([slide])
    right = "The company should use Amazon Macie to automatically detect sensitive data in its Amazon S3 buckets."
    assert answers_in_one_passage(right, question, evidence) == 0
    # the line under PrivateLink's heading is not about Macie, nor the lines under Macie's about PrivateLink
    assert answers_in_one_passage(right.replace("Amazon Macie", "AWS PrivateLink"), question, evidence) is None


# A slide's lines and a scenario about them: the answer that names the right item is supported by them, the one
# that names another item on the same slide is not.
NAMED_LINES = [
    pytest.param(  # the title is split «AWS Trusted» / «Advisor»; its lines are about the whole name
        Source(
            "seguridad.pdf",
            23,
            "AWS Trusted",
            "AWS Trusted\nAdvisor\nProporcionar orientación en tiempo real para mejorar el entorno de AWS\n"
            "Compara la infraestructura con las prácticas recomendadas de AWS en cinco categorías",
            0.0,
        ),
        "Una cadena de tiendas quiere recibir orientación en tiempo real para mejorar su entorno de AWS, "
        "comparándolo con las prácticas recomendadas. ¿Qué servicio debe usar?",
        "El servicio que debe usar es AWS Trusted Advisor.",
        "El servicio que debe usar es AWS Config.",
        id="a name's title wrapped onto two lines still covers the lines under it",
    ),
    pytest.param(  # each metric as «Name (alias)» on a line of its own, then what it measures
        Source(
            "semana3.pdf",
            19,
            "Métricas para Regresión",
            "1.\nMean Squared Error (MSE) - Error Cuadrático Medio\n"
            "Mide el error promedio al cuadrado entre las predicciones y los valores reales.\n"
            "2.\nR Squared (R2) - Coeficiente de Determinación\n"
            "Mide qué porcentaje de la variabilidad de los datos es explicada por el modelo.\n"
            "Su valor varía entre 0 y 1.",
            0.0,
        ),
        "A housing agency built a regression model that predicts house prices. Management wants a single "
        "metric between 0 and 1 that shows how much of the variability in prices the model explains. Which "
        "metric should the team report?",
        "The team should report the R-squared metric.",
        "The team should report the MSE metric.",  # MSE's lines are not about the variability asked for
        id="the lines after an item's name and alias are about that item",
    ),
    pytest.param(
        Source(
            "sesion2.pdf",
            19,
            "Entrenamiento de modelos y afinación",
            "Entrenamiento de modelos y afinación\nEnfoques comunes para personalizar FMs\nEmpieza aquí\n"
            "Prompt Engineering\nDar instrucciones para guiar las salidas del modelo.\nNo hay entrenamiento\n"
            "Retrieval Augmented Generation (RAG)\nRecuperando conocimientos relevantes para modelos.\n"
            "Fine-tuning (Afinamiento)\nAdaptación de modelos para tareas específicas",
            0.0,
        ),
        "Una cooperativa agrícola de Mendoza guarda sus fichas técnicas en Zendesk. Quiere que su chatbot responda "
        "con esas fichas, que cambian cada mes, sin volver a entrenar el modelo. ¿Qué técnica debería usar?",
        # seen in the window: right, and discarded for restating the scenario; «No hay entrenamiento» captions
        # the name below it, and «adecuada» and «requiera» only frame the answer
        "La técnica adecuada para que su chatbot responda con las fichas técnicas de Mendoza, que cambian cada mes "
        "y no requiera volver a entrenar el modelo, es la Retrieval Augmented Generation (RAG).",
        "La técnica adecuada para que su chatbot responda con las fichas técnicas de Mendoza, que cambian cada mes "
        "y no requiera volver a entrenar el modelo, es el Fine-tuning (Afinamiento).",
        id="a short line right above an item's name captions it",
    ),
]


@pytest.mark.parametrize("slide, question, right, wrong", NAMED_LINES)
def test_the_lines_under_a_name_answer_a_scenario_for_that_name_only(slide, question, right, wrong):
    from tutor.grounding import answers_in_one_passage

    evidence = prepare([slide])
    assert answers_in_one_passage(right, question, evidence) == 0
    assert answers_in_one_passage(wrong, question, evidence) is None


def test_a_name_the_question_says_is_the_premise_not_a_swap_in_the_answer():
    store = Source(
        "ml.pdf",
        11,
        "Amazon SageMaker Feature Store",
        "Amazon SageMaker Feature Store\n"
        "Ayuda a científicos de datos e ingenieros a crear, compartir y gestionar características para el "
        "desarrollo de modelos de ML.\n"
        "Las características almacenadas pueden ser recuperadas antes de ser utilizadas en los modelos de ML para "
        "realizar inferencias.",
        0.0,
    )
    cycle = Source(
        "ml.pdf",
        2,
        "Ciclo de vida del desarrollo de Machine Learning",
        "Ciclo de vida del desarrollo de Machine Learning\n"
        "Model development (training, tuning, and evaluation)\n"
        "Model deployment (inference and prediction)",
        0.0,
    )
    question = (
        "Several ML teams at a bank compute the same features independently. The bank wants a central repository "
        "where teams can create, share and manage features for both training and inference. Which service meets "
        "this requirement?"
    )
    right = (
        "Amazon SageMaker Feature Store meets the requirement by providing a central repository where ML teams can "
        "create, share and manage features for both training and inference."
    )
    unsure = lambda sentence: Opinion(0.5)  # noqa: E731
    assert judge(right, prepare([store, cycle])).label == "contradicted"  # «training» belongs to the cycle's slide
    assert ground(right, [store, cycle], unsure, question=question).text == right[:-1] + " [1]."
    assert ground(right, [store, cycle], unsure).text == ""  # without the question: a contradiction, dropped
    wrong = right.replace("Amazon SageMaker Feature Store", "Amazon SageMaker Canvas")
    assert ground(wrong, [store, cycle], unsure, question=question).grounded_share == 0.0


def test_a_lone_letter_joins_the_name_it_belongs_to_not_an_article():
    from tutor.claims import words

    assert [w.text for w in words("An R squared value of 1", "en")][:2] == ["R", "squared"]
    assert [w.text for w in words("La T de ChatGPT")][0] == "T"
    assert [w.text for w in words("Usa Top p o Min p")] == ["Usa", "Top-p", "Min-p"]
    assert [w.text for w in words("2. R Squared - Coeficiente")] == ["2", "R-Squared", "Coeficiente"]  # «R-squared»
    assert [w.text for w in words("R Squared (R2)")][0] == "R-Squared"  # at a line's start too
    assert [w.text for w in words("GPT's architecture", "en")] == ["GPT", "architecture"]  # a possessive
    assert [w.text for w in words("A Company. Y Amazon", "en")] == ["Company", "Amazon"]  # an article, «y»
    option = words("La opción C es incorrecta, como dice la T Aplicada. D Luego")  # an option, a placeholder
    assert [w.text for w in option if w.term] == ["Aplicada"] and {"C", "T", "D"} <= {w.text for w in option}


def test_what_the_student_is_told_besides_the_question_is_said_back_but_no_premise():
    """A practice question's chosen option is stated above its explanation: a sentence that only says it back is
    left out, but a wrong option is not the question's word, so a sentence that gives it another's definition
    is still contradicted."""
    top_p = Source(
        "p.pdf", 4, "Top-p", "Top-p\nLimita la elección a los tokens cuya probabilidad acumulada llega a p.", 0
    )
    temperature = Source("p.pdf", 5, "Temperatura", "Temperatura\nControla la aleatoriedad de los tokens.", 0)
    stem = "Una startup quiere que su asistente elija solo entre los tokens cuya probabilidad acumulada llega a p."
    told = "La respuesta correcta es la B. Opción B: Temperatura."
    unsure = lambda sentence: Opinion(0.5)  # noqa: E731
    wrong = "La Temperatura limita la elección a los tokens cuya probabilidad acumulada llega a p."
    assert judge(wrong, prepare([top_p, temperature])).label == "contradicted"
    assert ground(wrong, [top_p, temperature], unsure, "es", stem, told).text == ""
    assert ground(wrong, [top_p, temperature], unsure, "es", f"{stem}\n{told}").grounded_share == 1.0  # as premise
    assert ground("La respuesta correcta es la B (Temperatura).", [top_p], unsure, "es", stem, told).text == ""


def test_a_label_line_is_what_the_lines_after_it_are_about():
    """An excerpt cuts «- Jurassic-2 (AI21 Labs):» and «- Temperatura = 0: Siempre selecciona…» into lines of
    their own; what follows a short line ending in a colon is about it, up to the next label or a gap."""
    from tutor.grounding import answers_in_one_passage

    models = Source(
        "fm.pdf",
        15,
        "Oferta de Foundation Models en AWS",
        "Modelos de Terceros\nJurassic-2 (AI21 Labs):\nEnfocado en generación de texto\n"
        "Destaca por capacidades multilingües\nSoporta español, francés, alemán, portugués, italiano y holandés\n"
        "Claude (Anthropic):\nDiseñado para conversaciones y asistencia\n…\nÚtil para la generación de texto",
        0.0,
    )
    question = (
        "Una empresa europea necesita en AWS un modelo de generación de texto que funcione bien en español, francés "
        "e italiano. ¿Qué modelo de terceros es el más adecuado?"
    )
    right = (
        "Jurassic-2 es el modelo de terceros más adecuado para la empresa, ya que está enfocado en generación de "
        "texto y destaca por capacidades multilingües."
    )
    evidence = prepare([models])
    assert answers_in_one_passage(right, question, evidence) == 0  # over the lines under its label
    assert answers_in_one_passage(right.replace("Jurassic-2", "Claude"), question, evidence) is None
    claude = "Claude es el modelo de terceros más adecuado para la empresa, ya que es útil para la generación de texto."
    assert answers_in_one_passage(claude, question, evidence) is None  # past a gap, a line is nobody's

    # a label is what its lines are about, but only a name's label names something («Resumen para el Examen:»
    # does not make «Examen» a name that a claim about the line below it must say)
    summary = Source("fm.pdf", 17, "AWS", "LLAMA (Meta):\nMeta y AWS\nResumen para el Examen:\nAWS ofrece", 0)
    defined = [sorted(u.defines) for u in prepare([summary]).units][1::2]
    assert defined == [["e:llama", "e:meta", "w:llama", "w:meta"], []]

    sampling = Source(
        "t.pdf",
        11,
        "Temperatura",
        "Temperatura = 0:\nSiempre selecciona el token más probable (determinista)\nTemperatura = 1:\n"
        "Alta aleatoriedad, más creatividad",
        0.0,
    )
    asked = "¿Qué ocurre con la salida del modelo si fijo la temperatura en 0?"
    unsure = lambda sentence: Opinion(0.5)  # noqa: E731
    right = "Si se fija la temperatura en 0, el modelo selecciona siempre el token más probable."
    assert ground(right, [sampling], unsure, question=asked).grounded_share == 1.0
    assert judge(right, prepare([sampling])).label == "unsupported"  # «fija», «modelo»: the question's words
    wrong = "Si se fija la temperatura en 0, hay alta aleatoriedad."
    assert ground(wrong, [sampling], unsure, question=asked).text == ""


def test_a_logo_line_does_not_end_a_headings_lines_but_a_gap_does():
    from tutor.grounding import answers_in_one_passage

    slide = Source(
        "seguridad.pdf",
        20,
        "Monitoreo",
        "AWS CloudTrail\nRealiza un seguimiento de las actividades de los usuarios\nAWS\n"
        "Filtra los registros generados por las llamadas a la API para ayudar con el análisis operativo",
        0.0,
    )
    question = "Desplegamos modelos desde Jenkins. ¿Qué servicio registra las llamadas a la API para auditarlas?"
    right = "AWS CloudTrail registra las llamadas a la API para poder auditarlas."
    assert answers_in_one_passage(right, question, prepare([slide])) == 0
    gapped = replace(slide, text=slide.text.replace("\nAWS\n", "\n…\n"))
    assert answers_in_one_passage(right, question, prepare([gapped])) is None


def test_either_makers_name_before_a_letter_is_the_same_service():
    from tutor.claims import words

    aws_q, amazon_q = words("AWS Q")[0], words("Amazon Q")[0]
    assert aws_q.text == "AWS-Q" and "w:amazonq" in aws_q.keys and "w:awsq" in amazon_q.keys
    slide = Source("q.pdf", 3, "Amazon Q", "Amazon Q\nGeneración de código, pruebas unitarias y escaneo", 0)
    assert judge("AWS Q ofrece generación de código y pruebas unitarias.", prepare([slide])).label == "supported"


def test_a_compounds_parts_bring_no_synonyms_of_their_own():
    from tutor.claims import words

    fine_tune = words("fine-tune", "en")[0]
    assert "s:finetun" in fine_tune.keys and "g:objetivo" not in fine_tune.keys  # «fine» is no «fin», a goal
    assert "g:preentrenado" in words("pre-entrenado")[0].keys  # the whole word's synonyms stay


def test_a_label_ends_at_the_next_item_and_a_name_label_still_names():
    """Found by a review: a label must not run into the next item of its list, and a label that is a name
    alone («Amazon Macie:») still names what its lines are about, so another product's claim is a swap."""
    from tutor.grounding import answers_in_one_passage

    def label(sentence: str, text: str) -> str:
        return judge(sentence, prepare([Source("s.pdf", 1, "Seguridad", text, 0)])).label

    items = (
        "Amazon Macie:\nDetecta datos confidenciales en S3\nAmazon GuardDuty\nDetecta amenazas y actividad maliciosa."
    )
    assert label("Amazon Macie detecta amenazas y actividad maliciosa.", items) != "supported"
    bullets = "Amazon Macie:\n- Detecta datos confidenciales en buckets de S3\nAmazon GuardDuty:\n- Detecta amenazas"
    assert label("Amazon GuardDuty detecta datos confidenciales en buckets de S3.", bullets) == "contradicted"
    models = Source(
        "fm.pdf",
        15,
        "Modelos",
        "Jurassic-2 (AI21 Labs):\n- Enfocado en generación de texto\n- Multilingüe\n"
        "Claude (Anthropic): Diseñado para conversaciones y asistencia de forma segura",
        0,
    )
    question = "Un banco necesita un modelo para conversaciones y asistencia. ¿Qué modelo de terceros es el adecuado?"
    wrong = "Jurassic-2 es el modelo de terceros adecuado porque está diseñado para conversaciones y asistencia."
    assert answers_in_one_passage(wrong, question, prepare([models])) is None
    # a line under a name's label that shares only the question's verb does not answer it
    threats = "¿Qué servicio detecta amenazas y actividad maliciosa en la cuenta?"
    macie = Source("s.pdf", 1, "Seguridad", items, 0)
    assert answers_in_one_passage("Macie es el servicio que detecta amenazas.", threats, prepare([macie])) is None
    assert answers_in_one_passage("GuardDuty es el servicio que detecta amenazas.", threats, prepare([macie])) == 0


def test_a_topic_word_shared_only_by_the_added_names_own_words_does_not_answer():
    """Found by a student's question: «stored» in the question and «Store» in «SageMaker Feature Store» let a
    slide about the feature store answer a question about keeping a chatbot's HR policies current."""
    from tutor.grounding import answers_in_one_passage

    slide = Source(
        "semana3.pdf",
        11,
        "Amazon SageMaker Feature Store",
        "Amazon SageMaker Feature Store\nAyuda a crear, compartir y gestionar características para el desarrollo de ML",
        0,
    )
    question = (
        "A company's Bedrock chatbot invents answers about HR policies. The policies are stored as PDF files that "
        "change every month and the company does not want to retrain the model. Which solution meets these needs?"
    )
    wrong = "Amazon SageMaker Feature Store stores the policies."
    assert answers_in_one_passage(wrong, question, prepare([slide])) is None
    kms = Source(
        "sesion4.pdf",
        17,
        "AWS Key Management Service",
        "AWS Key Management Service (AWS KMS) ayuda a los clientes a realizar operaciones de cifrado mediante el uso "
        "de llaves criptográficas.",
        0,
    )
    reviews = "Which fully managed service detects the language, extracts key phrases and the sentiment of reviews?"
    invented = "AWS Key Management Service (KMS) is a fully managed service that extracts key phrases from reviews."
    assert answers_in_one_passage(invented, reviews, prepare([kms])) is None  # «Key» is light, still the name's
    speech = "A voice assistant must turn speech into text. Which fully managed service should it use for that step?"
    named_twice = "AWS Key Management Service (AWS KMS) is the fully managed service for that step."
    assert answers_in_one_passage(named_twice, speech, prepare([kms])) is None  # «AWS» does not end the name
    features = "Which service helps data scientists share and manage features for ML development?"
    right = "Amazon SageMaker Feature Store is the service."  # the other topic words are still on the slide
    assert answers_in_one_passage(right, features, prepare([slide])) == 0


def test_the_verb_that_frames_an_answer_is_not_what_it_adds():
    """«should choose X», «debe elegir X», «se centra en…»: like «use», the verb frames the answer or its reason."""
    from tutor.grounding import answers_in_one_passage

    models = Source(
        "fm.pdf",
        15,
        "Modelos",
        "Jurassic-2 (AI21 Labs):\nEnfocado en generación de texto\nDestaca por capacidades multilingües",
        0,
    )
    question = "A travel agency prefers a third-party text-generation model known for multilingual capabilities."
    evidence = prepare([models])
    assert answers_in_one_passage("The agency should choose Jurassic-2 from AI21 Labs.", question, evidence) == 0
    pregunta = "Una agencia prefiere un modelo de terceros de generación de texto con capacidades multilingües."
    assert answers_in_one_passage("La agencia debe elegir Jurassic-2.", pregunta, evidence) == 0
    recall = Source("m.pdf", 17, "Recall", "Recall: mide qué porcentaje de los casos positivos fueron detectados", 0)
    fraud = "Un banco quiere detectar casi todos los fraudes reales aunque haya falsas alarmas. ¿Qué métrica prioriza?"
    because = "Recall es la métrica que deben priorizar, ya que se centra en detectar casi todos los fraudes reales."
    assert answers_in_one_passage(because, fraud, prepare([recall])) == 0


def test_a_sentence_that_goes_on_about_a_dropped_one_is_dropped_with_it():
    """«Top-K establece un umbral…» is dropped; «Esto permite…» is about what it named, so it goes too (it would
    read as the answer's own claim, out of its context); after a kept sentence it stays."""
    wrong = "Top-K establece un umbral de probabilidad para que un token sea considerado como candidato [1]. "
    goes_on = "Esto permite que solo se consideren tokens cuya probabilidad acumulada no exceda el valor de P [1]."
    result = ground(wrong + goes_on, SOURCES)
    assert result.text == "" and len(result.dropped) == 2
    right = wrong.replace("Top-K", "Top-P")
    assert ground(right + goes_on, SOURCES).text == right + goes_on


def test_a_slide_carries_the_last_name_of_the_one_before_unless_it_names_its_own_or_the_name_is_a_logo():
    from tutor.evidence import banners, carried_name

    before = "Gobernanza\nAmazon SageMaker Clarify\nDetecta sesgos en modelos ML"
    features = "Explicar las predicciones individuales\nComprende la importancia relativa de cada característica"
    assert carried_name(before, "Gobernanza", features) == "Amazon SageMaker Clarify"
    assert carried_name(before, "Gobernanza", "Amazon SageMaker Data Wrangler es una herramienta de bajo código") == ""
    assert carried_name("Agenda del día\nAGENDA", "Agenda del día", features) == ""  # a banner in capitals
    deck = ["Portada\nCloudOps Guild", "Métricas\nCloudOps Guild", "Prompts\nCloudOps Guild", "Cierre"]
    assert banners(deck) == {"CloudOps Guild"}
    assert carried_name("Métricas\nCloudOps Guild", "Métricas", features, banners(deck)) == ""  # a logo


def test_a_name_alone_over_its_lines_starts_a_quoted_line_of_its_own():
    """On the real course's audit slide the lines of Audit Manager and of AWS Artifact have no full stop between
    them; they used to be quoted as one line («…auditorías AWS Artifact AWS Artifact proporciona…»)."""
    from tutor.grounding import passages_block

    slide = Source(
        "seguridad.pdf",
        22,
        "AWS Audit Manager",
        "AWS Audit Manager\nProporciona informes de evaluación para agilizar la preparación de auditorías\n"
        "AWS Artifact\nProporciona acceso bajo demanda a informes de seguridad y cumplimiento\n"
        "AWS Trainium\nAWS Inferentia",
        0.0,
    )
    block, _ = passages_block("extract", "¿Qué ofrece AWS Artifact y qué informes de auditorías da?", [slide], "es")
    quoted = block.splitlines()[1:]
    assert any(line.startswith("- «AWS Artifact Proporciona acceso") for line in quoted)
    assert not any("auditorías AWS Artifact" in line for line in quoted)
    assert all("AWS Trainium" not in line or "AWS Inferentia" in line for line in quoted)  # names alone stay together


def test_a_products_name_written_twice_is_not_quoted_with_the_line_before():
    """Seen in the window: the monitoring slide's excerpt was quoted «…en respuesta a métricas AWS CloudTrail», the
    next section's heading (the name written twice) glued to a line. A name on the last line stays: it may be the
    last item of a list of names (the vector databases' slide ends «…compatible con PostgreSQL», «Amazon Kendra»)."""
    from tutor.grounding import passages_block

    slide = Source(
        "seguridad.pdf",
        20,
        "AWS CloudWatch",
        "AWS CloudWatch\nPermite configurar alertas y acciones automáticas en respuesta a métricas\n"
        "AWS CloudTrail\nAWS CloudTrail\n"
        "Realiza un seguimiento de las solicitudes de API en toda la infraestructura de AWS\nAWS Config",
        0.0,
    )
    question = "¿Qué servicio registra las llamadas a la API y configura alertas?"
    block, _ = passages_block("extract", question, [slide], "es")
    quoted = block.splitlines()[1:]
    assert any("en respuesta a métricas»" in line for line in quoted), quoted


def test_the_short_line_under_an_items_name_is_what_the_item_is():
    """The course's slide of customisation approaches is a diagram of short lines: «Fine-tuning (Afinamiento)»,
    then «Adaptación de modelos para tareas específicas». That line used to read as a heading of its own, so
    a sentence saying it of fine-tuning was «said of something else»."""
    slide = Source(
        "sesion2.pdf",
        19,
        "Entrenamiento de modelos y afinación",
        "Entrenamiento de modelos y afinación\nEnfoques comunes para personalizar FMs\nPrompt Engineering\n"
        "Dar instrucciones para guiar las salidas del modelo.\nFine-tuning (Afinamiento)\n"
        "Adaptación de modelos para tareas específicas\nContinued Pretraining (Entrenamiento continuo)\n"
        "Mejorando modelos preentrenados con más datos",
        0.0,
    )
    evidence = prepare([slide])
    assert judge("Fine-tuning adapts the model to specific tasks.", evidence, default_lang="en").label == "supported"
    invented = judge("Fine-tuning translates the model into other languages.", evidence, default_lang="en")
    assert invented.label != "supported"


def test_an_acronym_finds_a_name_the_slide_writes_in_full_twice():
    """The real course's VPC slide opens with the name, then the logo's «Amazon Virtual» «Private Cloud»; the
    run of capitalised words says the name twice, so «VPC» in a right answer was «not in the sources»."""
    slide = Source(
        "seguridad.pdf",
        18,
        "Amazon Virtual Private Cloud",
        "Amazon Virtual Private Cloud\nAmazon Virtual\nPrivate Cloud\nRed virtual aislada en AWS\n"
        "Configuración de red personalizable",
        score=0.0,
    )
    verdict = judge("La VPC es una red virtual aislada en AWS.", prepare([slide]))
    assert verdict.label == "supported", verdict.reason


def test_a_sources_label_the_model_copies_as_a_line_is_neither_shown_nor_judged():
    answer = (
        "parametros.pdf, diapositiva 3\n"
        "Top-K limita la selección a los K tokens más probables [1].\n"
        "[2] apuntes.md, sección 4 «Seguridad»"
    )
    result = ground(answer, SOURCES)
    assert result.text == "Top-K limita la selección a los K tokens más probables [1]."
    assert len(result.verdicts) == 1 and result.omitted == 0
    according = ground("Según parametros.pdf, diapositiva 3, el modelo consulta la web.", SOURCES)
    assert according.text.endswith("la web (no está en el curso).")  # a claim that names the label is judged


def test_a_logo_line_the_model_copies_is_neither_shown_nor_marked():
    """Seen in a student trial: an explanation ended in «AWS COMMUNITY CARTAGENA (no está en el curso)», the
    footer of the slide it quoted."""
    answer = "Top-K limita la selección a los K tokens más probables [1].\nAWS COMMUNITY CARTAGENA"
    result = ground(answer, SOURCES)
    assert result.text == "Top-K limita la selección a los K tokens más probables [1]."
    assert len(result.verdicts) == 1 and result.omitted == 0
    shouted = ground("TOP-K LIMITA LA SELECCIÓN A LOS K TOKENS MÁS PROBABLES.", SOURCES)
    assert not shouted.text  # a sentence in capitals is a heading or a logo, never a claim


def test_two_definitions_of_one_slide_swapped_are_caught(real_course):
    """A concept one line of the slide defines («Interpretabilidad: Entendiendo…») said with another line's
    definition («Explicabilidad: Explicación del comportamiento…»): every word is on the slide, and the
    checker took it as supported (seen in the window at a high temperature with top-p and top-k)."""
    from tutor.grounding_eval import Course

    page = Course(real_course).source("sesion4-dominios4-5-ia-responsable-seguridad.pdf", 13)
    swapped = "La interpretabilidad consiste en explicar el comportamiento del modelo en términos humanos."
    assert ground(swapped, [page]).verdicts[0].label == "contradicted"
    right = "La explicabilidad consiste en explicar el comportamiento del modelo en términos humanos."
    assert ground(right, [page]).verdicts[0].label == "supported"
    english = "Explainability describes the model's behaviour in human terms."  # «explainability» is not swapped
    assert ground(english, [page], language="en").verdicts[0].label != "contradicted"


def test_a_marker_inside_a_phrase_goes_to_the_end_of_its_sentence():
    """Seen in a student trial: «… cómo y por qué los [1] modelos funcionan»."""
    inside = ground("Top-K limita la selección a los [1] K tokens más probables.", SOURCES)
    assert inside.text == "Top-K limita la selección a los K tokens más probables [1]."
    both = (
        "Top-K limita la selección a los K tokens más probables [1], mientras que la temperatura [1] controla la "
        "aleatoriedad."
    )
    assert ground(both, SOURCES).text == both  # a marker after the words it cites stays where the model put it


TOP_P_SLIDE = (  # the real course's top-p slide, as the PDF gives it
    "Top-P (también llamado nucleus sampling) controla la diversidad del texto limitando el número de palabras\n"
    "elegibles según su probabilidad.\n"
    "Se ajusta en una escala de 0 a 1, donde:\n"
    "- Valores bajos (ejemplo: 0.2): El modelo selecciona solo las palabras con mayor probabilidad.\n"
    "- Valores altos (ejemplo: 0.9): Se amplía la variedad de palabras seleccionadas.\n"
    "6.2.1. Top-K\n"
    "Top-K limita la selección a las K palabras más probables."
)


def test_a_sentence_the_excerpt_cut_is_quoted_whole_from_the_slide():
    """Seen in two student trials: «Se trata de un método rentable para mejorar los…» was the last quote under a
    RAG answer; the whole slide goes on with what it improves."""
    from tutor.grounding import key_passages

    page = (
        "¿Qué es la generación aumentada por recuperación?\nRAG es el proceso de optimización de la salida de un "
        "modelo.\nSe trata de un método rentable para mejorar los resultados de los LLM de modo que sigan siendo\n"
        "relevantes, precisos y útiles en diversos contextos.\nOtra frase que no se cita.\n"
    )
    excerpt = (
        "RAG es el proceso de optimización de la salida de un modelo. Se trata de un método rentable para mejorar los"
    )
    slide = Source("semana4.pdf", 2, "RAG", excerpt, score=0.0)
    picked = [
        t for _, t in key_passages("¿Qué es RAG y por qué es rentable?", [slide], pages={("semana4.pdf", 2): page})
    ]
    assert picked[-1] == (
        "Se trata de un método rentable para mejorar los resultados de los LLM de modo que sigan siendo relevantes, "
        "precisos y útiles en diversos contextos."
    ), picked
    # a cut whose sentence runs on past ANNOUNCED_CHARS keeps its «…»
    long_page = page.replace("relevantes,", "relevantes, " + "muy " * 120 + "precisos,")
    picked = [
        t for _, t in key_passages("¿Qué es RAG y por qué es rentable?", [slide], pages={("semana4.pdf", 2): long_page})
    ]
    assert picked[-1] == "Se trata de un método rentable para mejorar los…"


def test_a_quote_that_announces_lines_goes_on_with_them_from_the_whole_slide():
    """dev-019 («top-p, ¿qué controla exactamente?») was shown «Se ajusta en una escala de 0 a 1, donde:» and
    nothing after it: the prompt's excerpt of the slide stopped there. The quote goes on with the lines it
    announces, read from the whole slide, as far as about 300 characters."""
    from tutor.grounding import key_passages

    excerpt = (
        "Top-P (también llamado nucleus sampling) controla la diversidad del texto limitando el número de "
        "palabras elegibles según su probabilidad. Se ajusta en una escala de 0 a 1, donde:"
    )
    slide = Source("semana4.pdf", 6, "Top-P", excerpt, score=0.0)
    question = "top-p, ¿qué controla exactamente?"
    alone = [text for _, text in key_passages(question, [slide])]
    assert alone[-1] == "Se ajusta en una escala de 0 a 1, donde:"  # all the excerpt has
    picked = [text for _, text in key_passages(question, [slide], pages={("semana4.pdf", 6): TOP_P_SLIDE})]
    assert picked[-1] == (
        "Se ajusta en una escala de 0 a 1, donde: Valores bajos (ejemplo: 0.2): El modelo selecciona solo las "
        "palabras con mayor probabilidad. Valores altos (ejemplo: 0.9): Se amplía la variedad de palabras "
        "seleccionadas."
    )
    # the whole slide alone (a base model reads whole slides): the same, without the section number after it
    whole = replace(slide, text=TOP_P_SLIDE)
    quoted = " ".join(text for _, text in key_passages(question, [whole]))
    assert "donde: Valores bajos" in quoted and "6.2.1." not in quoted


def test_a_colon_inside_a_table_row_announces_nothing_and_an_announced_line_is_not_quoted_twice():
    from tutor.grounding import key_passages

    table = (
        "Matriz de alcance de seguridad de IA generativa\n"
        "Alcance 1: Aplicación para consumidor final Alcance 2: Aplicación empresarial Alcance 3: Modelos\n"
        "preentrenados Alcance 4: Modelos afinados Alcance 5: Modelos autoentrenados\n"
        "Uso de servicios de IA generativa 'públicos'"
    )
    slide = Source("sesion4.pdf", 23, "Matriz", "Modelos preentrenados Alcance 4:", score=0.0)
    picked = [text for _, text in key_passages("¿Qué es el alcance 4?", [slide], pages={("sesion4.pdf", 23): table})]
    assert picked == ["Modelos preentrenados Alcance 4:"]

    lines = (
        "Amazon Inspector escanea continuamente los recursos, incluidos los siguientes:\n"
        "Instancias de Amazon EC2 e imágenes de contenedores"
    )
    slide = Source("sesion4.pdf", 20, "Inspector", lines, score=0.0)
    picked = [text for _, text in key_passages("¿Qué recursos escanea Amazon Inspector?", [slide])]
    assert picked == [  # one quote (seen in a student trial: the colon ended a quote of its own)
        "Amazon Inspector escanea continuamente los recursos, incluidos los siguientes: Instancias de Amazon EC2 e "
        "imágenes de contenedores"
    ]


def test_a_claim_with_the_opposite_of_its_lines_word_is_contradicted_though_the_slide_says_both():
    """The slide says «pública» (to avoid) and «privada»: the window holds both words, so only the line that says
    the rest of the claim tells which one it says (eval/grounding.jsonl g-097, tune half)."""
    slide = Source(
        "sesion4.pdf",
        18,
        "AWS PrivateLink",
        "AWS PrivateLink\nConectividad privada segura a los servicios de AWS\n"
        "Evita internet pública, reduce la exposición de datos\nSimplifica la administración y el escalado de la red",
        score=0.0,
    )
    evidence = prepare([slide])
    wrong = judge("AWS PrivateLink conecta con los servicios de AWS a través de internet pública.", evidence)
    assert wrong.label == "contradicted" and "antonym" in wrong.reason
    right = judge("AWS PrivateLink ofrece conectividad privada y segura a los servicios de AWS.", evidence)
    assert right.label == "supported"


def test_a_label_the_excerpt_cut_at_its_colon_is_quoted_with_the_rest_of_its_line():
    """Seen in a student trial: «Mayor temperatura (ejemplo: 1.0):» and «Menor temperatura (ejemplo: 0.2):» quoted
    as labels only; the excerpt the model read had stopped at each colon."""
    from tutor.grounding import key_passages

    page = (
        "Temperature (Temperatura)\nEste parámetro controla la aleatoriedad o creatividad de la respuesta.\n"
        "- Mayor temperatura (ejemplo: 1.0): Salidas más diversas, creativas e impredecibles, aunque pueden ser menos\n"
        "coherentes o relevantes.\n"
        "- Menor temperatura (ejemplo: 0.2): Respuestas más conservadoras y repetitivas.\n"
    )
    excerpt = (
        "Este parámetro controla la aleatoriedad o creatividad de la respuesta. Mayor temperatura (ejemplo: 1.0): … "
        "Menor temperatura (ejemplo: 0.2):"
    )
    slide = Source("semana3.pdf", 31, "Modificación de Prompts", excerpt, score=0.0)
    picked = [
        t for _, t in key_passages("¿Qué pasa si subo la temperatura?", [slide], pages={("semana3.pdf", 31): page})
    ]
    assert picked[1:] == [
        "Mayor temperatura (ejemplo: 1.0): Salidas más diversas, creativas e impredecibles, aunque pueden ser menos "
        "coherentes o relevantes.",
        "Menor temperatura (ejemplo: 0.2): Respuestas más conservadoras y repetitivas.",
    ]


def test_a_name_of_several_terms_is_found_by_its_last_as_notes_write_it():
    """Seen in a student trial, on the student's own note: «Amazon SageMaker Clarify se usa antes del entrenamiento
    … y después…» was contradicted («the course says this of something else»): the note's example section says
    «Clarify se usa antes del entrenamiento…», without «SageMaker». Another name is still not supported by it."""
    note = Source("apuntes.md", 1, "Clarify", "Amazon SageMaker Clarify sirve para detectar sesgos.", 0.0, kind="text")
    example = Source(
        "apuntes.md",
        2,
        "Ejemplo",
        "El profesor comentó que Clarify se usa antes del entrenamiento (sesgo en los datos)\n"
        "y después del entrenamiento (sesgo en las predicciones).",
        0.0,
        kind="text",
    )
    evidence = prepare([note, example])
    right = judge("Amazon SageMaker Clarify se usa antes del entrenamiento y después del entrenamiento.", evidence)
    assert right.label == "supported" and right.support[1] >= 0.75
    other = judge(
        "Amazon SageMaker Model Monitor se usa antes del entrenamiento y después del entrenamiento.", evidence
    )
    assert other.label != "supported"


def test_an_answer_is_judged_against_the_whole_slide_its_excerpt_was_cut_from():
    """The model read an excerpt without the slide's «Amazon Macie» line; the name is still the course's."""
    from tutor.answer import Answer, finish_answer
    from tutor.prompt import PromptPlan

    excerpt = replace(SECURITY, text="…\n- Automatiza la detección de datos confidenciales a escala")
    plan = PromptPlan(tokens=[], sources=[excerpt], history_turns=0, style="chat", budget=0)
    question = "¿Qué servicio detecta datos confidenciales?"
    raw = "Amazon Macie automatiza la detección de datos confidenciales a escala [1]."
    cut = finish_answer(Answer(question, "", False, [excerpt], [], {}, "es"), raw, plan, [1], "never")
    assert cut.kind == "passages"  # the excerpt alone does not write the name
    plan.pages = {(SECURITY.file, SECURITY.page): SECURITY.text}
    whole = finish_answer(Answer(question, "", False, [excerpt], [], {}, "es"), raw, plan, [1], "never")
    assert whole.kind == "generated" and whole.answer == raw


def test_a_names_spelled_out_form_in_brackets_is_not_something_more_it_adds():
    """«RAG (Generación Aumentada por Recuperación)»: the passage that answers writes «RAG» and the slide spells it
    out on another line; brackets whose words no source writes are still something more to find."""
    from tutor.grounding import answers_in_one_passage

    slide = Source(
        "semana4.pdf",
        2,
        "Optimización de modelos fundacionales",
        "¿Qué es la generación aumentada por recuperación?\n"
        "Retrieval-Augmented Generation (RAG) hace referencia a una base de conocimientos autorizada fuera de los "
        "datos de entrenamiento antes de generar una respuesta a cada pregunta.",
        0.0,
    )
    question = (
        "Una farmacia quiere que su asistente responda preguntas sobre su catálogo con una base de conocimientos "
        "propia. ¿Qué técnica debe usar?"
    )
    evidence = prepare([slide])
    assert answers_in_one_passage("La farmacia debe usar RAG.", question, evidence) == 0
    spelled = "La farmacia debe usar RAG (Generación Aumentada por Recuperación)."
    assert answers_in_one_passage(spelled, question, evidence) == 0
    invented = "La farmacia debe usar RAG (Retrieval Augmented Grounding)."
    assert answers_in_one_passage(invented, question, evidence) is None


CUSTOMISING = [
    Source(
        "sesion2.pdf",
        19,
        "Entrenamiento de modelos y afinación",
        "Entrenamiento de modelos y afinación\nFine-tuning (Afinamiento)\n"
        "Adaptación de modelos para tareas específicas\n"
        "Continued Pretraining (Entrenamiento continuo)\nMejorando modelos preentrenados con más datos\n"
        "Afinamiento\nPROPÓSITO\nMaximizar la precisión para tareas específicas.\nNECESIDAD DE DATOS\n"
        "Pequeño número de ejemplos etiquetados.",
        0.0,
    ),
    Source(
        "sesion2.pdf",
        20,
        "Pre-entrenamiento continuo",
        "Pre-entrenamiento continuo\nPROPÓSITO\nMantener la precisión del modelo para su dominio.\n"
        "NECESIDAD DE DATOS\nGran cantidad de conjuntos de datos sin etiquetar.\nRecursos adicionales",
        0.0,
    ),
]


def test_the_lines_under_an_items_labels_in_capitals_are_about_that_item():
    """Seen in the window: «…continued pre-training… a large dataset that has already been labeled [3]» was shown,
    and the right «fine-tuning requires a small amount of labeled data» was dropped as a swapped name. On these
    slides an item («Afinamiento», «Pre-entrenamiento continuo») is told in parts under labels in capitals, so
    its data line lies five lines below its name: the labels name nothing, the lines under them are the item's,
    and a line under «Afinamiento» is about fine-tuning, its alias."""
    evidence = prepare(CUSTOMISING)
    said = {
        "Continued pre-training needs a large amount of unlabeled data.": ("supported", [2]),
        "Continued pre-training needs a large dataset that has already been labeled.": ("contradicted", []),
        "Fine-tuning needs a small number of labeled examples.": ("supported", [1]),
        "Fine-tuning needs a large amount of unlabeled data.": ("contradicted", []),
        "El pre-entrenamiento continuo busca maximizar la precisión para tareas específicas.": ("contradicted", []),
    }
    for sentence, (label, cited) in said.items():
        result = judge(sentence, evidence)
        assert (result.label, result.cited) == (label, cited), (sentence, result.reason)
