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
