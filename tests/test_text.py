from tutor.text import clean_text, detect_language, fold, lexical_tokens


def test_clean_text_repairs_extraction_artefacts_and_keeps_accents():
    raw = "Recolección e integra-\nción de datos\n- •Preprocesamiento  \ufb01nal\u00a0**clave**"
    cleaned = clean_text(raw)
    assert "integración" in cleaned
    assert "- Preprocesamiento final clave" in cleaned
    assert "Recolección" in cleaned


def test_fold_strips_accents_only():
    assert fold("Información ÁREA Año") == "informacion area ano"


def test_lexical_tokens_match_across_accents_and_inflection():
    assert lexical_tokens("información")[0] == lexical_tokens("informacion")[0]
    assert lexical_tokens("las etapas")[-1] == lexical_tokens("etapa")[0]
    assert lexical_tokens("¿Qué es de la?") == []  # only stop words


def test_detect_language():
    assert detect_language("How is GPT's architecture different from BERT?") == "en"
    assert detect_language("¿Qué es RAG?") == "es"
    assert detect_language("FM de texto a texto vs. de texto a imagen") == "es"


def test_a_label_from_a_slide_first_line_reads_whole():
    """Seen in a student trial: sources were listed as «… — Amazon SageMaker Clarify ayuda a mejorar la calidad de
    los», a first line cut mid-sentence."""
    from tutor.text import label_title

    first = "Amazon SageMaker Clarify ayuda a mejorar la calidad de los"
    page = f"{first}\nmodelos proporcionando herramientas para detectar sesgos y explicar predicciones.\nMás"
    assert label_title(first, page) == "Amazon SageMaker Clarify ayuda a mejorar la calidad de los modelos…"
    assert label_title(first, "an excerpt without the title") == f"{first}…"  # still marked as cut
    short = "Top-K limita la cantidad de palabras\nque el modelo considera en cada paso.\nOtra línea"
    assert label_title("Top-K limita la cantidad de palabras", short) == (
        "Top-K limita la cantidad de palabras que el modelo considera en cada paso."
    )
    heading = "7. AWS Foundation Models and SageMaker JumpStart with"
    assert label_title(heading, f"{heading}\nAmazon Bedrock\nText") == f"{heading} Amazon Bedrock"
    # a heading stays as it is; the next heading is not glued to it
    assert label_title("Temperatura", "Temperatura\nControla la aleatoriedad") == "Temperatura"
    assert label_title("Amazon Virtual", "Amazon Virtual\nPrivate Cloud (VPC)") == "Amazon Virtual"
    # a page that goes on from the one before, and a table's header row
    going_on = "para diferentes casos de uso de procesamiento de lenguaje natural."
    assert label_title(going_on, going_on) == f"…{going_on}"
    assert label_title("| Parámetro | Función Principal |") == "Parámetro · Función Principal"
    assert label_title("") == ""


def test_a_pages_chunks_join_without_their_overlap():
    from tutor.text import join_overlapping

    first = "Top-P controla la diversidad.\nSe ajusta en una escala de 0 a 1, donde:"
    second = "Se ajusta en una escala de 0 a 1, donde:\n- Valores bajos: respuestas predecibles."
    assert join_overlapping([first, second]) == (
        "Top-P controla la diversidad.\nSe ajusta en una escala de 0 a 1, donde:\n"
        "- Valores bajos: respuestas predecibles."
    )
    assert join_overlapping(["Uno.", "Dos."]) == "Uno.\nDos." and join_overlapping([]) == ""


def test_a_file_name_from_a_title_is_its_folded_words():
    from tutor.text import file_stem

    assert file_stem("¿Qué controla exactamente top-p?") == "que-controla-exactamente-top-p"
    assert file_stem("Diseño de un caso práctico de IA generativa en una empresa de telecomunicaciones") == (
        "diseno-de-un-caso-practico-de-ia-generativa-en-una"
    )
    assert file_stem("¿¿??") == ""
