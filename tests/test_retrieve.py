import shutil
from dataclasses import replace

import numpy as np

from tutor.config import ChunkingSettings, RetrievalSettings
from tutor.embed import SentenceTransformerEmbedder, default_embedder_path, resolve_embedder
from tutor.index import build_index
from tutor.lexical import LexicalIndex
from tutor.lexicon import glossary_pairs
from tutor.query import FILLER_WEIGHT, analyse, ask_part, asked_names, back_references, skeleton
from tutor.retrieve import Retriever
from tutor.text import is_link_list, lexical_tokens, named_terms


def _retriever(sample_corpus, embedder, translator=None, **overrides):
    index, _ = build_index(sample_corpus, embedder, ChunkingSettings())
    settings = replace(RetrievalSettings(), min_fused_z=-99.0, **overrides)
    return Retriever(index, embedder, settings, translator)


def test_named_terms_skip_sentence_starts():
    assert named_terms("¿Qué es LoRA y por qué abarata el fine-tuning?") == ["LoRA"]
    assert named_terms("¿Qué se hace en esa etapa? Explícame cada paso.") == []
    assert named_terms("CloudTrail vs CloudWatch: which one") == ["CloudTrail", "CloudWatch"]
    assert named_terms("And when should I lower it? ¿Es la opción C?") == []  # a letter names nothing


def test_without_a_calibration_a_never_mentioned_name_refuses_as_before(sample_corpus, fake_embedder):
    # The hashing embedder has no calibration (its cosines mean nothing): the old rule decides.
    retriever = _retriever(sample_corpus, fake_embedder)
    result = retriever.search("¿Qué es LoRA y para qué sirve en el ajuste fino?")
    assert result.abstained and result.unknown_terms == ["LoRA"]
    known = retriever.search("¿Qué hace BM25 en la búsqueda híbrida?")
    assert not known.abstained and known.unknown_terms == []
    off = _retriever(sample_corpus, fake_embedder, abstain_on_unknown_terms=False)
    assert not off.search("¿Qué es LoRA?").abstained


def test_english_questions_are_translated_for_retrieval_spanish_ones_are_not(sample_corpus, fake_embedder):
    calls = []

    def translator(text):
        calls.append(text)
        return "¿Qué es la fragmentación (chunking) de documentos y el solapamiento?"

    retriever = _retriever(sample_corpus, fake_embedder, translator)
    retriever.search("¿Qué es la temperatura?")
    assert calls == []
    result = retriever.search("Why do we split documents with some overlap?")
    assert calls == ["Why do we split documents with some overlap?"]
    assert result.translation.startswith("¿Qué es la fragmentación")
    assert ("rag-y-transformers.pdf", 4) in [(s.file, s.page) for s in result.sources[:2]]
    off = _retriever(sample_corpus, fake_embedder, translator, translate_english=False)
    assert not off.search("Why split documents?").translation


def test_embedder_folder_with_prefixes_is_used_correctly(tmp_path, monkeypatch):
    folder = tmp_path / "models" / "embeddings" / "mini-con-prefijos"
    shutil.copytree(default_embedder_path(), folder)
    (folder / "tutor.toml").write_text('query_prefix = "query: "\npassage_prefix = "passage: "\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    spec = resolve_embedder("mini-con-prefijos")
    assert (spec.query_prefix, spec.passage_prefix) == ("query: ", "passage: ")
    prefixed = SentenceTransformerEmbedder(spec)
    plain = SentenceTransformerEmbedder(resolve_embedder(""))
    assert prefixed.dim == plain.dim == 384
    assert np.allclose(prefixed.embed_query("hola"), plain.embed_query("query: hola"), atol=1e-5)
    assert np.allclose(prefixed.embed_passages(["hola"]), plain.embed_passages(["passage: hola"]), atol=1e-5)


def _weights(query, **kwargs):
    return {t.token: t.weight for t in analyse(query, **kwargs).terms}


def test_exam_boilerplate_weighs_less_than_what_the_question_asks_about():
    stem = (
        "A company wants to cap the number of tokens in each response. "
        "Which solution will meet these requirements with the LEAST operational overhead?"
    )
    weights = _weights(stem)
    for filler in ("company", "wants", "requirements", "least", "operational", "overhead"):
        assert weights[lexical_tokens(filler)[0]] == FILLER_WEIGHT, filler
    for content in ("tokens", "response", "cap"):
        assert weights[lexical_tokens(content)[0]] == 1.0, content
    spanish = _weights(
        "Una empresa quiere limitar los tokens. ¿Qué opción cumple este requisito con el menor esfuerzo?"
    )
    assert spanish[lexical_tokens("empresa")[0]] == spanish[lexical_tokens("requisito")[0]] == FILLER_WEIGHT
    assert spanish[lexical_tokens("tokens")[0]] == 1.0
    assert set(_weights(stem, reduce=False).values()) == {1.0}  # reduce_queries = false
    # however the cost is phrased, in the sentence that asks too
    asks = _weights("Drift was detected. Which approach requires the LEAST operational overhead to retrain?")
    assert asks[lexical_tokens("overhead")[0]] == asks[lexical_tokens("least")[0]] == FILLER_WEIGHT
    assert asks[lexical_tokens("retrain")[0]] == 1.0
    pide = _weights("Hay deriva. ¿Qué enfoque requiere el menor esfuerzo operativo para reentrenar?")
    assert pide[lexical_tokens("esfuerzo")[0]] == FILLER_WEIGHT


def test_untranslated_english_words_also_search_their_spanish_glossary_words():
    terms = {t.word: t for t in analyse("Which metric detects bias in the training data?").terms}
    assert lexical_tokens("sesgo")[0] in terms["bias"].alternatives
    assert lexical_tokens("entrenamiento")[0] in terms["training"].alternatives
    translated = analyse("Which metric detects bias?", translation="¿Qué métrica detecta el sesgo?")
    assert translated.translated and all(not t.alternatives for t in translated.terms)
    assert all(not t.alternatives for t in analyse("¿Qué es el sesgo?").terms)


def test_the_fields_words_in_an_english_stem_search_their_spanish_words():
    stem = "The model overfits the training data. Which threshold should the team tune to flag fraud?"
    terms = {t.word: t for t in analyse(stem).terms}
    assert lexical_tokens("umbral")[0] in terms["threshold"].alternatives
    assert lexical_tokens("marcar")[0] in terms["flag"].alternatives
    assert lexical_tokens("sobreajuste")[0] in terms["overfits"].alternatives
    heads = [english for english, _ in glossary_pairs()]
    assert len(heads) == len(set(heads)) > 1000  # each word once, across both glossaries
    assert all(spanish for _, spanish in glossary_pairs())


def test_the_sentence_that_asks_is_told_apart_from_its_context():
    assert ask_part("Uso Docker en casa. ¿Qué servicio escanea imágenes?") == "¿Qué servicio escanea imágenes?"
    assert ask_part("I use Gemini at home. Which models are not offered, and why?").startswith("Which models")
    assert asked_names("Uso Docker. ¿Qué es LoRA?") == {"LoRA"}
    # a name that only qualifies the question (the tool, who said it) is context, not what it asks
    assert asked_names("¿Qué es overfitting en TensorFlow?") == set()
    assert asked_names("¿Qué es un LLM según el profe Juan?") == {"LLM"}
    # the scenario's actors named again in the ask are context: what it asks is the noun after «qué» / «which»
    lisbon = "Una cadena hotelera de Lisboa quiere resumir reseñas. ¿Qué modelo debe elegir la cadena de Lisboa?"
    assert back_references(lisbon) == {"Lisboa"} and asked_names(lisbon) == set()
    bank = "A bank in São Paulo scores loans. Which evaluation metric should the São Paulo bank prioritize?"
    assert back_references(bank) == {"São", "Paulo"}
    faq = "A clinic's chatbot reads its FAQ. Which approach fits best for a chatbot answering the medical FAQ?"
    assert asked_names(faq) == set()
    # ... but not a name in that noun phrase, nor one asked about after a copula, nor one the context never said
    assert asked_names("Usamos SageMaker a diario. ¿Qué opción de despliegue de SageMaker conviene?") == {"SageMaker"}
    assert asked_names("I read about DPO. What are the advantages of DPO over RLHF?") >= {"DPO", "RLHF"}
    assert asked_names("Una startup etiqueta fotos. ¿Qué ventajas tiene para ella Ground Truth?") == {"Ground", "Truth"}
    assert asked_names("Una startup prueba Ground Truth. ¿Qué es Ground Truth?") == {"Ground", "Truth"}
    terms = {t.word: t for t in analyse("Uso Docker en casa. ¿Qué servicio escanea imágenes?").terms}
    assert terms["escanea"].ask and not terms["docker"].ask
    assert terms["servicio"].generic and not terms["escanea"].generic
    # who the stem is about, and an exam's emphasis in capitals, are no topic of the ask either
    actor = {t.word: t for t in analyse("Una clínica de Lima pierde citas. ¿Qué debe hacer la empresa PRIMERO?").terms}
    assert actor["empresa"].ask and actor["empresa"].generic and actor["primero"].generic
    assert not analyse("¿Cuál es el primero de los pasos?").terms[0].generic
    # «¿Qué técnica usamos?»: any question may ask what to use; a page that answers never writes «usamos»
    asked = {t.word: t for t in analyse("Los manuales cambian cada semana. ¿Qué técnica usamos?").terms}
    assert asked["usamos"].ask and asked["usamos"].generic and not asked["manuales"].generic
    assert {t.word: t for t in analyse("Which service do we use for this?").terms}["use"].generic
    assert {t.word: t for t in analyse("¿Qué va dentro del propio prompt?").terms}["propio"].generic
    compared = {t.word: t for t in analyse("What is the difference between RAG and fine-tuning?").terms}
    assert compared["difference"].generic and compared["between"].generic and not compared["rag"].generic
    assert {t.word: t for t in analyse("¿Qué diferencia hay? Explícamelo").terms}["explicamelo"].generic
    # how to explain it, not what: the request weighs like exam boilerplate and is never missing from a slide
    simple = {t.word: t for t in analyse("explícame RAG como si tuviera 10 años").terms}
    assert simple["rag"].weight == 1.0 and simple["tuviera"].weight < 1.0 and simple["anos"].weight < 1.0


def test_the_verb_that_closes_an_exam_ask_frames_it():
    """«Which metric should they prioritize?» asks for a metric: a page that answers need not write «prioritize»
    (three covered stems were refused for «try», «configure», «prioritize»)."""

    def framing(question: str) -> set[str]:
        return {t.word for t in analyse(question).terms if t.ask and t.generic}

    assert "prioritize" in framing("Missing a case is costly. Which metric should they prioritize?")
    assert {"try", "first"} <= framing("The labels are new. Which approach should the team try first?")
    assert "contratar" in framing("Irá a producción. ¿Qué opción de Amazon Bedrock debe contratar?")
    # what a question asks to do is what it asks
    assert not {"reduce", "hallucinations"} & framing("What should a company do to reduce hallucinations?")
    assert "evaluate" not in framing("Which metric should they use to evaluate the summaries of the model?")
    assert "reducir" not in framing("¿Qué debe hacer la empresa para reducir las alucinaciones?")
    assert {"board", "prioritize", "approving"} <= framing(
        "Which metric should the board prioritize when approving it?"
    )
    assert {"encuentra", "proyecto"} <= framing("¿En qué fase del ciclo de vida se encuentra el proyecto?")
    assert "cause" in framing("What is the most likely cause?")  # any question may ask for a cause


def test_the_scenarios_actors_named_again_in_the_ask_are_not_what_it_asks(sample_corpus, fake_embedder):
    """«El oficial de privacidad revisa… ¿Qué servicio ayuda al oficial de privacidad…?»: the ask names the
    scenario's actor again; a page that answers need not write it."""
    retriever = _retriever(sample_corpus, fake_embedder, translate_english=False)
    ask = "¿Qué servicio ayuda al oficial de privacidad a encontrar datos personales?"
    again = retriever.search(f"El oficial de privacidad revisa los buckets. {ask}")
    assert not {"oficial", "privacidad"} & set(again.missing_terms)
    alone = retriever.search(ask)
    assert {"oficial", "privacidad"} <= set(alone.missing_terms)


def test_chat_spellings_are_no_content_words():
    words = {t.word for t in analyse("pa q sirve el top p?? xq no lo pillo bro").terms}
    assert words == {"top", "pillo"}
    assert {t.word for t in analyse("¿Cómo funciona k-means?").terms if not t.generic} == {"means"}


def test_cognates_share_a_skeleton():
    assert skeleton("application")[:6] == skeleton("aplicación")[:6]
    assert skeleton("hyperparameter")[:6] == skeleton("hiperparámetro")[:6]
    assert skeleton("transaction")[:6] != skeleton("transformer")[:6]
    lexical = LexicalIndex([("Hiperparámetros", "Ajuste automático de hiperparámetros con SageMaker")])
    assert lexical.cognates("hyperparameters") == tuple(lexical_tokens("hiperparámetros"))


def test_unknown_terms_skip_exam_capitals_field_names_and_known_compound_parts():
    lexical = LexicalIndex(
        [("Bedrock", "Amazon Bedrock ofrece modelos fundacionales generados por varios proveedores.")]
    )
    assert lexical.unknown_terms("With the LEAST effort, which Amazon-built model does NOT need AWS or an LLM?") == []
    assert lexical.unknown_terms("¿Qué es LoRA? ¿Y LoRA con Bedrock?") == ["LoRA"]
    assert lexical.unknown_terms("¿Qué debe hacer PRIMERO? ¿Cuál NO es la MEJOR opción?") == []


def test_lexical_index_tells_which_pages_use_a_word():
    lexical = LexicalIndex([("a", "modelo de lenguaje"), ("b", "otra frase"), ("c", "modelo grande")])
    model, big = lexical_tokens("modelo")[0], lexical_tokens("grande")[0]
    labels = np.array([0, 1, -1])  # chunk 2 is of no interest
    assert lexical.labels_with((model,), labels) == {0}
    assert lexical.labels_with(("∄", big), labels) == set()
    assert lexical.labels_with((big, lexical_tokens("frase")[0]), np.array([-1, 7, 3])) == {3, 7}
    assert lexical.idf(big) > lexical.idf(model)  # the rarer word weighs more
    assert lexical.idf("∄") == lexical.idf(big)  # a word the course lacks counts as rare as one seen once


def test_a_slide_of_links_points_to_answers_and_ranks_after_the_slides_with_content(sample_corpus, fake_embedder):
    links = "\n".join(
        f"<https://aws.amazon.com/bedrock/{topic}/>" for topic in ("temperature", "top-p", "pricing", "agents")
    )
    (sample_corpus / "recursos.md").write_text(f"# Recursos\n\n{links}\n", encoding="utf-8")
    assert is_link_list(f"Recursos\n{links}") and not is_link_list("La temperatura controla la aleatoriedad.")
    retriever = _retriever(sample_corpus, fake_embedder)
    result = retriever.search("¿Qué controla la temperature y el top-p en Bedrock?")
    files = [s.file for s in result.candidates]
    assert "recursos.md" in files, "the links page is found (its addresses hold the question's words)"
    content = [i for i, f in enumerate(files) if f != "recursos.md"]
    assert files.index("recursos.md") > max(content)


def test_common_english_words_a_spanish_course_never_writes_are_not_missing_rare_ones_are(sample_corpus, fake_embedder):
    """An English stem on a Spanish course: «change» is on no Spanish page whatever the topic, so its absence from
    the best pages says nothing when the course writes its Spanish elsewhere (a quarter of covered exam stems were
    refused for such words); a word rare in English («watermark»), or a common one the course never writes in any
    form («problems» here), still counts as missing."""
    retriever = _retriever(sample_corpus, fake_embedder, translate_english=False)
    common = retriever.search("Our documents are split with some overlap. Which change addresses both problems?")
    assert "change" not in common.missing_terms and "problems" in common.missing_terms
    rare = retriever.search("Our documents are split with some overlap. Which watermark should we use?")
    assert "watermark" in rare.missing_terms
    asked = {t.word: t for t in analyse("Dividimos los documentos. ¿Qué debe cambiar el equipo?").terms}
    assert asked["debe"].generic  # a modal verb: any question may use it


def test_a_need_described_in_other_words_searches_the_courses_words_for_it():
    from tutor.needs import needs_of

    assert needs_of("Las pólizas cambian cada mes y no quiere reentrenar el modelo.") == ["rag"]
    assert needs_of("The copywriters say the suggestions are repetitive and predictable.") == ["temperature"]
    assert needs_of("Who called the SageMaker API last week? We need an audit trail.") == ["api-audit"]
    # a model that misses what it should find, in any form of the verb, or scores 99 % and still misses it
    fraud = "Mi modelo de fraudes tiene un 99 % de exactitud pero casi no detecta fraudes reales."
    assert needs_of(fraud) == ["classification-metrics"]
    assert needs_of("¿Qué es la temperatura?") == []
    assert needs_of("Explícame paso a paso cómo se calcula la auto-atención") == []  # a way to explain, not a need
    assert needs_of("¿Cómo hago que el modelo piense paso a paso?") == ["chain-of-thought"]
    assert needs_of("The bot keeps writing after the summary; it must halt at a marker.") == ["stop"]
    assert needs_of("We only have a handful of labeled tickets and no time to train.") == ["few-shot"]
    assert needs_of("Answers should be as consistent and conservative as possible.") == ["temperature"]
    assert needs_of("Exigen respuestas conservadoras y repetibles.") == ["temperature"]
    assert needs_of("Cada vez que pregunta lo mismo obtiene textos muy distintos.") == ["temperature"]
    assert needs_of("El equipo dispone de varios correos ya clasificados.") == ["few-shot"]
    assert needs_of("The model jumps straight to a final figure that is wrong.") == ["chain-of-thought"]
    assert needs_of("It scores 99% on its training data but only 71% on a held-out test set.") == ["overfitting"]
    assert needs_of("Quieren un repositorio central para crear, compartir y gestionar esas variables.") == [
        "feature-store"
    ]
    # the words between «sin» and the verb add nothing: any wording of «no need to retrain» is the same need
    assert needs_of("Su catálogo cambia cada semana y lo quieren sin necesidad de volver a entrenar.") == ["rag"]
    assert needs_of("Quieren usar sus manuales sin tener que reentrenar el modelo.") == ["rag"]
    assert needs_of("They want answers from the new manuals without having to retrain the model.") == ["rag"]
    # how much something costs is on the page that writes its price, not on the one that names it most
    assert needs_of("¿Cuánto cuesta la suscripción individual de AWS Skill Builder?") == ["price"]
    assert needs_of("How much does a Skill Builder subscription cost per year?") == ["price"]
    assert needs_of("Which option is the MOST cost-effective?") == []  # the exam's boilerplate is no price asked
    assert needs_of("¿Cuánto tarda en entrenarse?") == []


def _write_notes(folder, notes: dict[str, str]) -> None:
    for name, text in notes.items():
        (folder / name).write_text(text, "utf-8")


def test_scenario_needs_lift_the_page_that_answers_and_leave_the_decision_as_asked(tmp_path, fake_embedder):
    notes = {
        "temperatura.md": "# Temperatura\n\nLa temperatura controla la aleatoriedad de la salida del modelo.\n",
        "campanas.md": "# Campañas\n\nLos redactores de la agencia eligen los eslóganes de cada campaña.\n",
        "costes.md": "# Costes\n\nEl precio de un modelo se calcula por tokens de entrada y de salida.\n",
    }
    _write_notes(tmp_path, notes)
    stem = (
        "Una agencia de publicidad usa un modelo para proponer eslóganes. Los redactores dicen que sus sugerencias "
        "son repetitivas y predecibles. ¿Qué deberían cambiar?"
    )
    on = _retriever(tmp_path, fake_embedder).search(stem)
    off = _retriever(tmp_path, fake_embedder, scenario_needs=False).search(stem)
    rank = lambda result: [s.file for s in result.sources].index("temperatura.md")  # noqa: E731
    assert rank(off) == 2 and rank(on) < rank(off)  # the hashing embedder still favours the campaigns page
    assert max(on.sources, key=lambda s: s.lexical).file == "temperatura.md"
    assert (on.decision, on.confidence, on.signals) == (off.decision, off.confidence, off.signals)


def test_a_stem_that_describes_prompt_injection_finds_the_slide_that_names_it(tmp_path, fake_embedder):
    """«…users craft inputs that make the model ignore its instructions…» is prompt injection, a name a course may
    only list among other risks: the need lifts that slide above the ones that share the scenario's words."""
    from tutor.needs import needs_of

    notes = {
        "seguridad.md": "# Seguridad\n\nDetección de amenazas. Gestión de vulnerabilidades. Prompt injection.\n",
        "prompts.md": "# Ingeniería de prompts\n\nLas instrucciones del prompt dicen al modelo qué debe hacer con "
        "los datos de entrada del usuario.\n",
        "datos.md": "# Datos confidenciales\n\nLos datos confidenciales de los clientes se protegen con cifrado.\n",
    }
    _write_notes(tmp_path, notes)
    stem = (
        "A company deploys a chatbot. Users could craft inputs that make the model ignore its instructions and "
        "reveal confidential data. What is this type of attack called?"
    )
    assert needs_of(stem) == ["prompt-injection"]
    assert needs_of("Un usuario escribe entradas para que el asistente ignore sus instrucciones.") == [
        "prompt-injection"
    ]
    assert needs_of("¿Qué instrucciones lleva un buen prompt?") == []
    assert needs_of("It must keep producing correct outputs when it receives adversarial inputs.") == []  # robustness
    assert "prompt-injection" not in needs_of("In long chats the model ignores the instructions given at the start.")
    on = _retriever(tmp_path, fake_embedder, translate_english=False).search(stem)
    off = _retriever(tmp_path, fake_embedder, translate_english=False, scenario_needs=False).search(stem)
    rank = lambda result: [s.file for s in result.sources].index("seguridad.md")  # noqa: E731
    assert rank(off) == 2 and rank(on) < rank(off)  # the hashing embedder still favours the prompts page
    assert max(on.sources, key=lambda s: s.lexical).file == "seguridad.md"


def test_a_name_the_course_never_writes_but_explains_in_its_own_words_does_not_refuse(tmp_path, fake_embedder):
    """«PII» is never written in a course that teaches Macie's «datos confidenciales»: the need it tells
    (tutor/needs.py) has words in the course, so the name asked about does not count as unknown; the answer's
    note still says that the course never writes it. A name whose need the course lacks still refuses."""
    from tutor.needs import words_for_term

    notes = {
        "seguridad.md": "# Amazon Macie\n\nMacie automatiza la detección de datos confidenciales en Amazon S3.\n",
        "red.md": "# Redes\n\nLas subredes separan el tráfico de cada entorno.\n",
    }
    _write_notes(tmp_path, notes)
    assert words_for_term("PII") and not words_for_term("Bedrock")
    question = "Which AWS service discovers PII stored in Amazon S3?"
    on = _retriever(tmp_path, fake_embedder, translate_english=False).search(question)
    off = _retriever(tmp_path, fake_embedder, translate_english=False, scenario_needs=False).search(question)
    assert off.abstained and off.signals.unknown_ask == 1
    assert not on.abstained and on.signals.unknown_ask == 0 and on.unknown_terms == ["PII"]
    assert on.sources[0].file == "seguridad.md"
    vpc = _retriever(tmp_path, fake_embedder, translate_english=False).search("Which feature does a VPC offer?")
    assert vpc.abstained and vpc.unknown_terms == ["VPC"]  # its need's word (PrivateLink) is not in this course


def test_a_name_the_question_asks_about_gets_a_page_among_the_three_the_model_reads(tmp_path, fake_embedder):
    """«¿Qué es RAG y en qué se diferencia del ajuste fino?» ranked three long fine-tuning pages first: the best
    page below them that writes «RAG» is brought up to third, where the model reads it; the rest keep their order."""
    fine = "El ajuste fino adapta el modelo. En qué se diferencia el ajuste fino: el ajuste fino entrena el modelo."
    notes = {f"ajuste{i}.md": f"# Ajuste fino {i}\n\n{fine}\n" for i in range(5)}
    notes["recuperacion.md"] = "# Recuperación\n\nRAG recupera documentos relevantes antes de generar.\n"
    notes["otra.md"] = "# Otra\n\nRAG también aparece aquí.\n"
    _write_notes(tmp_path, notes)
    retriever = _retriever(tmp_path, fake_embedder)
    by_file = {s.file: s for s in retriever.search("ajuste fino RAG", 10).candidates}
    order = ["ajuste0.md", "ajuste1.md", "ajuste2.md", "ajuste3.md", "recuperacion.md", "otra.md", "ajuste4.md"]
    ranked = [by_file[f] for f in order]
    moved = retriever._naming_each(ranked, {"RAG"})
    assert [s.file for s in moved] == [
        *("ajuste0.md", "ajuste1.md", "recuperacion.md", "ajuste2.md", "ajuste3.md", "otra.md", "ajuste4.md")
    ]
    assert retriever._naming_each(ranked, {"Macie"}) == ranked  # a name no page writes moves nothing
    assert retriever._naming_each(moved, {"RAG"}) == moved  # already among the three


def test_a_page_that_repeats_a_better_ranked_one_gives_its_place_to_the_next(tmp_path, fake_embedder):
    """A deck shows its case study twice (slides 6 and 8, the same text wrapped otherwise): the copy took one of
    the three places the model reads, and the slide that answered was left out."""
    case = "Caso empresarial: UnaEmpresa crea un chatbot de soporte con un modelo fundacional y sus datos."
    notes = {
        "caso.md": f"# Caso\n\n{case}\n",
        "copia.md": f"# Caso\n\n{case.replace(' con ', chr(10) + 'con ')}\n",
        "rag.md": "# RAG\n\nRAG recupera los datos del chatbot sin entrenar el modelo.\n",
    }
    _write_notes(tmp_path, notes)
    found = _retriever(tmp_path, fake_embedder).search("chatbot de soporte con los datos de UnaEmpresa", 3)
    assert [s.file for s in found.sources].count("caso.md") + [s.file for s in found.sources].count("copia.md") == 1
    assert "rag.md" in [s.file for s in found.sources]


def test_unlabelled_data_finds_the_slide_titled_pre_entrenamiento(tmp_path, fake_embedder):
    """The need «unlabelled data» searched only «preentrenamiento», one token, while the slide is titled
    «Pre-entrenamiento continuo», whose tokens are «pre» and «entren»: the need searches «pre» too."""
    notes = {
        "pre.md": "# Pre-entrenamiento continuo\n\nMantener la precisión del modelo para su dominio.\n",
        "afin.md": "# Afinamiento\n\nMaximizar la precisión del modelo con pocos ejemplos etiquetados.\n",
    }
    _write_notes(tmp_path, notes)
    question = "Tiene millones de informes sin etiquetar y quiere mantener la precisión del modelo. ¿Qué enfoque usa?"
    found = _retriever(tmp_path, fake_embedder, translate_english=False).search(question, 2)
    assert [s.file for s in found.sources] == ["pre.md", "afin.md"]
