"""Practice quizzes: every answer is on its cited slide, options never repeat, reviews put misses first."""

from __future__ import annotations

import json
import random

import pytest

from tests.conftest import FakeLLM
from tutor.course import CourseInfo
from tutor.quiz import (
    BLANK,
    Question,
    ScoreBook,
    Slide,
    build_quiz,
    extract_facts,
    grade,
    is_valid,
    question_from_model,
    questions_from_slides,
)
from tutor.text import fold


def _check_quality(questions: list[Question], slides: list[Slide]) -> None:
    text = {(s.file, s.page): s.text for s in slides}
    assert questions
    for q in questions:
        slide = text[(q.file, q.page)]
        assert fold(q.answer) in fold(slide), q  # the correct answer is on the cited slide
        folded = [fold(o) for o in q.options]
        assert len(set(folded)) == len(folded), q  # no two options alike
        if q.options:
            assert q.answer in q.options and len(q.options) == 4, q
        if q.kind == "fill_blank":
            assert BLANK in q.question, q
        else:
            assert fold(q.answer) not in fold(q.question), q  # the question does not give it away
        assert is_valid(q, slide)


def test_sample_course_questions_meet_the_quality_bar(tutor_factory):
    tutor = tutor_factory(FakeLLM())
    slides = tutor.slides()
    questions = questions_from_slides(slides, seed=3)
    _check_quality(questions, slides)
    assert {q.kind for q in questions} == {"multiple_choice", "fill_blank"}
    terms = {fold(q.answer) for q in questions}
    assert {"rag", "bm25"} <= terms


def test_definitions_are_read_from_term_colon_and_es_un_lines():
    slide = Slide(
        "d.pdf",
        4,
        "Temperatura",
        "Temperatura baja: respuestas deterministas y conservadoras.\n"
        "Una alucinación es una respuesta plausible pero falsa.\n"
        "Ejemplo: esto no es un término que merezca pregunta alguna.\n"
        # a property of the slide's subject, not a term (seen in a student trial: «Importancia» was the answer
        # to «Determina cuánto contexto anterior el modelo puede considerar», on the context window's slide)
        "Importancia: Determina cuánto contexto anterior el modelo puede considerar.\n"
        "Función en self-attention: Define el alcance de las relaciones contextuales del modelo.\n"
        "Uso típico: Permite balancear entre respuestas diversas y coherentes.\n"
        "Meta no tiene plataforma propia, por lo que colabora con",
    )
    facts = {f.term: f.definition for f in extract_facts(slide)}
    assert facts == {
        "Temperatura baja": "respuestas deterministas y conservadoras",
        "alucinación": "una respuesta plausible pero falsa",
    }
    # the description is asked as a sentence (seen in a student trial: «…descripción? «un tipo específico…»»)
    from tutor.quiz.questions import _definition_question

    fact = next(f for f in extract_facts(slide) if f.term == "alucinación")
    question = _definition_question(fact, ["Temperatura baja", "Top-p", "Top-k", "RAG"], random.Random(0))
    assert question.question.endswith("«Una respuesta plausible pero falsa»")


def test_label_cites_slides_and_sections_as_the_answers_do():
    pdf = Question("fill_blank", "?", [], "RAG", "rag.pdf", 8, "Alucinaciones")
    notes = Question("fill_blank", "?", [], "RAG", "apuntes.md", 6, "Cuándo usar RAG")
    assert pdf.label() == "rag.pdf, diapositiva 8"
    assert notes.label() == "apuntes.md, sección 6 «Cuándo usar RAG»"


def test_grading_ignores_case_accents_and_spacing():
    q = Question("fill_blank", f"Completa: {BLANK} reduce alucinaciones.", [], "Recuperación RAG", "a.pdf", 1, "t")
    assert grade(q, "  recuperacion   rag ")
    assert not grade(q, "RAG") and not grade(q, "")


def test_reviewing_puts_missed_topics_first_and_scores_persist(tutor_factory, tutor_home):
    tutor = tutor_factory(FakeLLM())
    book = ScoreBook()
    course = str(tutor.corpus)
    first = tutor.practice(n=4, seed=1, book=book)
    assert len(first) == 4 and len({(q.file, q.page) for q in first}) == 4  # one question per slide
    assert len({fold(q.answer) for q in first}) == 4  # and not the same answer twice
    missed, right = first[0], first[1]
    book.record(course, missed, False)
    book.record(course, right, True)
    scores = ScoreBook().topic_scores(course)  # a new object: read back from quiz.sqlite in the data dir
    assert scores[0] == (missed.topic, 0, 1)
    assert (right.topic, 1, 0) in scores
    assert (tutor_home / "quiz.sqlite").exists()
    review = tutor.practice(n=3, review=True, seed=2, book=book)
    assert review[0].topic == missed.topic
    normal = tutor.practice(n=8, seed=2, book=book)
    assert right.qid not in [q.qid for q in normal[:3]]  # just answered right: not due again soon


def test_topic_filter_only_asks_about_that_topic(tutor_factory):
    tutor = tutor_factory(FakeLLM())
    questions = tutor.practice(n=5, topic="temperatura", seed=1)
    assert questions
    slides = {(s.file, s.page): s for s in tutor.slides()}
    for q in questions:
        slide = slides[(q.file, q.page)]
        assert "temperatura" in fold(slide.title + slide.text + slide.file)


class JsonLLM(FakeLLM):
    def __init__(self, reply: str) -> None:
        super().__init__()
        self.reply = reply
        self.asked: list = []

    def chat_json(self, messages, max_tokens=300):
        self.asked.append(messages)
        return self.reply


SLIDE = Slide("s.pdf", 3, "Temperatura", "La temperatura controla la aleatoriedad del modelo de lenguaje.")


def test_a_model_question_is_kept_only_when_its_answer_is_on_the_slide():
    good = {
        "pregunta": "¿Qué controla la temperatura?",
        "opciones": ["la aleatoriedad", "el coste", "la memoria", "la latencia"],
        "correcta": "la aleatoriedad",
    }
    question = question_from_model(JsonLLM(json.dumps(good)), SLIDE)
    assert question and question.source == "model" and question.answer == "la aleatoriedad"
    invented = dict(good, correcta="el coste")  # not what the slide says
    assert question_from_model(JsonLLM(json.dumps(invented)), SLIDE) is None
    repeated = dict(good, opciones=["la aleatoriedad", "La aleatoriedad", "el coste", "x"])
    assert question_from_model(JsonLLM(json.dumps(repeated)), SLIDE) is None
    assert question_from_model(JsonLLM("no es JSON"), SLIDE) is None


def test_build_quiz_falls_back_to_slide_questions_when_the_model_fails(tutor_factory):
    tutor = tutor_factory(FakeLLM())
    llm = JsonLLM("{}")
    quiz = build_quiz(tutor.slides(), n=3, seed=1, llm=llm)
    assert len(quiz) == 3 and all(q.source == "slides" for q in quiz) and len(llm.asked) == 3


def test_course_toml_product_pattern_and_exclusions_shape_the_quiz(tutor_factory, sample_corpus):
    tutor = tutor_factory(FakeLLM())
    slides = tutor.slides()
    plain = {q.answer for q in questions_from_slides(slides, seed=3)}
    assert "Amazon OpenSearch Service" not in plain  # two Amazon names are no brand: no product rule
    (sample_corpus / "course.toml").write_text(
        "product_pattern = '\\bAmazon(?: [A-Z][\\w-]+)+'\nexclude = [\"BM25\"]\n", "utf-8"
    )
    info = CourseInfo.load(sample_corpus)
    questions = questions_from_slides(slides, seed=3, course=info)
    _check_quality(questions, slides)
    blanked = {q.answer: q for q in questions if q.kind == "fill_blank"}
    assert "Amazon OpenSearch Service" in blanked
    assert f"«En AWS: {BLANK}, pgvector" in blanked["Amazon OpenSearch Service"].question
    assert "bm25" in {fold(a) for a in plain} and "bm25" not in {fold(q.answer) for q in questions}
    quiz = build_quiz(slides, n=30, seed=3, course=str(sample_corpus))  # reads course.toml from the folder
    assert quiz and all(fold(q.answer) != "bm25" for q in quiz)


def _slide(page: int, text: str) -> Slide:
    return Slide("curso.pdf", page, f"Tema {page}", text)


def test_brands_are_found_across_the_course_and_exam_names_are_not_terms():
    services = ["Bedrock", "Kendra", "Polly", "Macie", "Titan"]
    slides = [
        _slide(i, f"El servicio AWS {name} Plus ayuda a los equipos con tareas de análisis en la nube.")
        for i, name in enumerate(services, 1)
    ]
    slides.append(_slide(9, "Este material prepara el examen AWS Certified AI Practitioner con ejemplos y prácticas."))
    slides.append(_slide(10, "También existe el examen AWS Certified Developer para quienes programan a diario."))
    course = CourseInfo.load("/cursos/aws-ai-practitioner")  # no such folder: the name alone
    answers = {q.answer for q in questions_from_slides(slides, seed=1, course=course) if q.kind == "fill_blank"}
    assert answers == {f"AWS {name} Plus" for name in services}  # the brand is blanked with its product
    generic = {q.answer for q in questions_from_slides(slides[:3], seed=1, course=course)}
    assert not generic  # three AWS names are no brand yet


@pytest.mark.integration
def test_real_course_questions_meet_the_quality_bar(course_slides):
    questions = questions_from_slides(course_slides, seed=1)
    _check_quality(questions, course_slides)
    assert len(questions) >= 100
    assert len({q.file for q in questions}) == 5  # every deck and the notes are used


@pytest.fixture
def course_slides(real_home, real_course):
    from tutor.config import Settings
    from tutor.pipeline import Tutor

    return Tutor(Settings(), real_course).slides()


def test_cli_quiz_in_the_terminal_grades_records_and_stops_cleanly(sample_corpus, fake_embedder, monkeypatch, capsys):
    from tutor import cli

    monkeypatch.setattr("tutor.embed.load_embedder", lambda *a, **k: fake_embedder)
    assert cli.main(["quiz", "--json", "--n", "3", "--seed", "5", "--corpus", str(sample_corpus)]) == 0
    questions = json.loads(capsys.readouterr().out)["questions"]
    assert len(questions) == 3 and all(q["file"] and q["page"] for q in questions)
    replies = iter([questions[0]["answer"], "respuesta equivocada"])

    def fake_input(prompt: str) -> str:
        try:
            return next(replies)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    assert cli.main(["quiz", "--n", "3", "--seed", "5", "--corpus", str(sample_corpus)]) == 0
    out = capsys.readouterr().out
    assert "¡Correcto!" in out and "No: la respuesta es" in out and "Resultado: 1 de 2." in out
    scores = ScoreBook().topic_scores(str(sample_corpus.resolve()))
    assert sum(r for _, r, _ in scores) == 1 and sum(w for _, _, w in scores) == 1


def test_an_example_of_a_prompts_output_gives_no_questions():
    """Seen in a student trial: «Completa la frase: «Puerto _____ integrado: Carga tus dispositivos…»», from the
    product description a slide shows as a prompt's expected output."""
    slide = Slide(
        "prompts.pdf",
        30,
        "Elementos de un prompt",
        "Elementos de un prompt\n"
        "Instrucciones: Definen la tarea que debe realizar el modelo de lenguaje.\n"
        "Salida esperada del modelo:\n"
        "Mochila Impermeable para Laptop de 15.6 pulgadas\n"
        "- Puerto USB integrado: Carga tus dispositivos fácilmente mientras te desplazas.\n"
        "- Diseño ergonómico: Correas acolchadas y transpirables para mayor confort.\n",
    )
    assert [f.term for f in extract_facts(slide)] == ["Instrucciones"]
    icon = Slide(
        "p.pdf",
        29,
        "",
        "Contexto: Un producto de la tienda.\nP Datos de entrada:\n- Público objetivo: Profesionales y estudiantes\n",
    )
    assert not any("objetivo" in line for line in icon.lines)


def test_a_topic_is_the_pages_section_heading_when_its_title_is_a_sentence_cut_by_the_page():
    """Seen in a student trial: the practice scores listed «…para diferentes casos de uso de procesamiento de
    lenguaje natural.» and «Durante la decodificación, se pueden considerar los estados de todas las palabras»."""
    from tutor.quiz.questions import topic_title

    text = (
        "para diferentes casos de uso de procesamiento de lenguaje natural.\n2.1. Funcionamiento del Self-Attention\n"
    )
    assert topic_title("para diferentes casos de uso de procesamiento de lenguaje natural.", text) == (
        "Funcionamiento del Self-Attention"
    )
    assert topic_title("Temperatura", "Temperatura\n1.2. Otra cosa") == "Temperatura"  # a real title stays
    cut = "Durante la decodificación, se pueden considerar los estados de todas las palabras"
    assert topic_title(cut, cut) == cut  # no heading on the page: the title, shown whole by label_title


def test_a_worked_examples_company_is_never_a_question_or_an_option():
    """Seen in a student trial: «UnaEmpresa» (the course's case-study company) was an option of a question."""
    from tutor.quiz.terms import with_example_companies

    course = with_example_companies(CourseInfo(), ["Centro de soporte de la empresa UnaEmpresa S.A. en Lima."])
    assert course.excludes("UnaEmpresa") and not course.excludes("PartyRock")
    slides = [
        Slide("caso.pdf", 1, "Caso", "Centro de soporte de la empresa UnaEmpresa S.A.\nUnaEmpresa usa Amazon Bedrock."),
        Slide("a.pdf", 2, "PartyRock", "PartyRock es un espacio para crear aplicaciones de IA sin código."),
        Slide("a.pdf", 3, "SageMaker", "SageMaker Canvas permite crear modelos sin programar."),
        Slide("a.pdf", 4, "CloudWatch", "CloudWatch supervisa métricas y alarmas en tiempo real."),
        Slide("a.pdf", 5, "CloudTrail", "CloudTrail registra las llamadas a la API de los usuarios."),
    ]
    said = [o for q in questions_from_slides(slides, seed=1) for o in (*q.options, q.answer)]
    assert said and "UnaEmpresa" not in said
