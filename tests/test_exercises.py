"""Pages of practice questions are put behind the pages that explain (tutor/exercises.py)."""

from __future__ import annotations

from tutor.exercises import asserting_first, explaining, is_exercise
from tutor.types import Source

QUIZ = """Acceso a FMs en Amazon Bedrock
Usted es un practicante de IA en una empresa que usa Amazon Bedrock.
¿Qué servicio de AWS sería el más adecuado para asegurar el acceso a Amazon Bedrock?
- A. AWS Identity and Access Management (IAM)
- B. Servicio de administración de claves de AWS (KMS)
- C. Inspector de Amazon
- D. Amazon Macie"""


def test_a_page_of_lettered_options_under_a_question_is_an_exercise():
    assert is_exercise(QUIZ)
    assert is_exercise(QUIZ.replace("- A.", "A)").replace("- B.", "B)").replace("- C.", "(C)"))


def test_slides_that_list_or_ask_are_not_exercises():
    numbered = "Pasos del ciclo de ML\n¿Por dónde empezar?\n1) Recoger datos\n2) Entrenar\n3) Evaluar\n4) Desplegar"
    two_items = "¿CloudTrail o CloudWatch?\nA) AWS CloudTrail: llamadas a la API\nB) Amazon CloudWatch: métricas"
    no_question = QUIZ.replace("¿Qué servicio de AWS sería el más adecuado para asegurar el acceso", "Servicios")
    no_question = no_question.replace("Bedrock?", "Bedrock.")
    mostly_prose = "\n".join([QUIZ] + ["Amazon Bedrock ofrece modelos fundacionales de varios proveedores."] * 20)
    for text in (numbered, two_items, no_question, mostly_prose, ""):
        assert not is_exercise(text), text


def test_exercise_pages_go_last_and_the_rest_keep_their_order():
    def page(n: int) -> Source:
        return Source("curso.pdf", n, f"p{n}", "texto", 1.0 / n)

    ranked = [page(25), page(20), page(7), page(3)]
    assert [s.page for s in asserting_first(ranked, {("curso.pdf", 25), ("otro.pdf", 20)})] == [20, 7, 3, 25]
    assert asserting_first(ranked, set()) == ranked


def test_exercise_pages_are_left_out_of_an_answer_unless_nothing_else_was_found():
    quiz, slide = Source("curso.pdf", 25, "quiz", "texto", 2.0), Source("curso.pdf", 20, "CloudTrail", "texto", 1.0)
    assert explaining([quiz, slide], {("curso.pdf", 25)}) == [slide]
    assert explaining([quiz], {("curso.pdf", 25)}) == [quiz]
