"""What a scenario asks for without naming it (tutor/implied.py): cues, and their effect on the decision."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import FakeLLM
from tests.pdfs import make_pdf
from tutor.config import Settings
from tutor.implied import asks_for_name, implied
from tutor.pipeline import Tutor
from tutor.query import ask_part


def _names(text: str) -> list[str]:
    return [entry.name for entry in implied(text)]


NEEDS = [
    ("A dating app must blur uploaded photos that contain nudity. Which service can flag them?", "Amazon Rekognition"),
    ("Un gimnasio abrirá la puerta mediante reconocimiento facial del socio.", "Amazon Rekognition"),
    ("A podcast network must turn the audio of every episode into text.", "Amazon Transcribe"),
    ("Una clínica quiere pasar a texto las grabaciones de voz de sus consultas.", "Amazon Transcribe"),
    ("An e-learning site wants its lessons read aloud with natural-sounding voices.", "Amazon Polly"),
    ("A hotel chain wants the sentiment of every guest comment and the entities named.", "Amazon Comprehend"),
    ("Un hotel quiere saber el sentimiento de cada reseña y las entidades que mencionan.", "Amazon Comprehend"),
    ("Un banco necesita extraer los datos de formularios escaneados y manuscritos.", "Amazon Textract"),
    ("A retailer wants personalized product recommendations on its home page.", "Amazon Personalize"),
    ("Editors compare generated summaries against reference summaries. Which metric?", "ROUGE"),
    ("Which metric is traditionally reported in machine translation benchmarks?", "BLEU"),
    ("A retailer wants a fully managed service to translate its catalog into 12 languages.", "Amazon Translate"),
    ("El modelo recibe peticiones esporádicas y se acepta un arranque en frío.", "SageMaker Serverless Inference"),
    ("¿Quién responde por la seguridad física del hardware, AWS o el cliente?", "AWS shared responsibility model"),
    ("Nobody needs the scores in real time; the whole file is scored every night.", "SageMaker Batch Transform"),
    (
        "Una fintech sin equipo de machine learning quiere un servicio gestionado que detecte pagos fraudulentos.",
        "Amazon Fraud Detector",
    ),
    ("A startup wants an email alert when its monthly AWS costs exceed 500 dollars.", "AWS Budgets"),
    ("The finance team wants to visualize its AWS costs by service over the past months.", "AWS Cost Explorer"),
    # the exam's phrasings that name no cue word of the first table (2026-12-05)
    ("A bookstore wants a 'Recommended for you' row based on each shopper's clickstream.", "Amazon Personalize"),
    (
        "Una plataforma quiere recomendar películas a cada usuario a partir de su historial de visualización.",
        "Amazon Personalize",
    ),
    ("The team wants to know whether each guest review is positive, negative, neutral or mixed.", "Amazon Comprehend"),
    ("Una cadena quiere clasificar cada reseña como positiva, negativa o neutra.", "Amazon Comprehend"),
    ("Un banco quiere convertir facturas escaneadas en datos estructurados.", "Amazon Textract"),
    ("A media company wants to generate subtitles for its video library.", "Amazon Transcribe"),
    ("A news site wants audio versions of its articles.", "Amazon Polly"),
    (
        "The publisher needs a guaranteed level of model capacity and will commit to a one-month term.",
        "Provisioned Throughput",
    ),
    (
        "A retailer's Bedrock chatbot must never discuss competitors or give investment advice.",
        "Guardrails for Amazon Bedrock",
    ),
    (
        "Un banco quiere impedir que su asistente de IA generativa hable de temas políticos.",
        "Guardrails for Amazon Bedrock",
    ),
    (
        "The generative AI assistant must filter hateful and violent content in prompts and responses.",
        "Guardrails for Amazon Bedrock",
    ),
    (
        "El asistente de Amazon Bedrock debe ocultar los datos personales en sus respuestas.",
        "Guardrails for Amazon Bedrock",
    ),
    (
        "Como evito que el asistente de IA generativa de mi empresa hable de temas politicos o de la competencia?",
        "Guardrails for Amazon Bedrock",
    ),
    ("¿Cómo impido que mi chatbot de Bedrock dé consejos de inversión?", "Guardrails for Amazon Bedrock"),
]


@pytest.mark.parametrize("question, name", NEEDS)
def test_a_need_implies_its_answer(question, name):
    assert name in _names(question)


@pytest.mark.parametrize(
    "question",
    [
        "A design studio wants to generate product images from text prompts with a diffusion model.",
        "A media startup translates news articles into Spanish with a recurrent encoder-decoder network.",
        "The company will fine-tune the model on call transcripts from its support team.",
        "¿Por qué el aprendizaje supervisado necesita datos etiquetados?",
        "A company wants a chatbot that answers employees from its internal documents.",
        "Which AWS service detects bias in training data?",
        "Amazon Rekognition flags explicit photos; which service explains the model's predictions?",
        # fraud, costs and alerts where the need is a metric, a SageMaker feature or a pricing option
        "A bank trains a fraud detection model in SageMaker. Missing a fraud is costly. Which metric?",
        "A fully managed SageMaker endpoint scores transactions for fraud. Which feature detects data drift?",
        "An insurer has trained a fraud classifier and its fully managed endpoint is slow. What should it do?",
        "A fully managed fraud model flags a payment; regulators want to know why. Which tool explains it?",
        "A company wants to reduce the cost of Amazon Bedrock for a steady workload. Which pricing option?",
        "Which metric alerts when the model's latency exceeds a threshold?",
        # sentiment, recommendations and topics where the course's own answer is meant
        "A team trained a transformer to classify reviews as positive or negative. Which metric?",
        "How does a Transformer classify reviews as positive or negative?",
        "The reviews model makes too many false positives and false negatives.",
        "Which technique recommends similar items by their proximity in the embedding space?",
        "The chatbot does not answer questions about topics outside its documents. What should the team do?",
        "¿Qué es prompt injection y cómo se evita?",
        "¿Cómo evito que el modelo alucine?",
        "How do I prevent the model from hallucinating about topics outside the documents?",
    ],
)
def test_other_needs_imply_nothing(question):
    assert _names(question) == []


def test_asks_for_a_name():
    assert asks_for_name(ask_part("The app stores photos. Which AWS service should it use?"))
    assert asks_for_name(ask_part("Los datos cambian. ¿Qué opción de despliegue debe elegir?"))
    assert asks_for_name(ask_part("The app stores photos. What should the company use?"))
    assert asks_for_name(ask_part("Las llamadas se graban. ¿Qué debe hacer el equipo?"))
    assert not asks_for_name(ask_part("The app stores photos. Why does the model overfit?"))


SLIDES = [
    "Generación de imágenes con Amazon Bedrock\nStable Diffusion genera imágenes a partir de un prompt de texto.\n"
    "Las imágenes generadas pueden contener contenido inapropiado y deben revisarse.",
    "IA responsable\nLos modelos pueden producir contenido ofensivo o explícito;\n"
    "la moderación y la revisión humana reducen el riesgo para los usuarios.",
    "Amazon SageMaker\nSageMaker entrena y despliega modelos de aprendizaje automático\n"
    "con endpoints gestionados a los que las aplicaciones llaman mediante una API.",
]
REKOGNITION = (
    "Amazon Rekognition\nAmazon Rekognition analiza imágenes y vídeos mediante una API:\n"
    "detecta objetos, rostros y contenido inapropiado o explícito sin entrenar ningún modelo."
)
STEM = (
    "Una aplicación para compartir fotos recibe miles de imágenes por hora y debe detectar automáticamente las "
    "imágenes explícitas o inapropiadas antes de publicarlas, sin entrenar ningún modelo. ¿Qué servicio de AWS "
    "debe usar?"
)


@pytest.fixture(scope="module")
def embedder():
    from tutor.embed import load_embedder

    return load_embedder("", "float32")


def _search(tmp_path, embedder, slides, question=STEM, **retrieval):
    course = tmp_path / "curso"
    course.mkdir(parents=True)
    make_pdf(course / "diapositivas.pdf", slides)
    settings = Settings(corpus_dir=str(course))
    settings = replace(settings, retrieval=replace(settings.retrieval, **retrieval))
    tutor = Tutor(settings, course, llm=FakeLLM(), embedder=embedder)
    tutor.ensure_index()
    return tutor.search(question)


def test_a_course_that_never_names_the_answer_refuses(tmp_path, embedder):
    result = _search(tmp_path, embedder, SLIDES)
    assert result.implied_terms == ["Amazon Rekognition"]
    assert result.decision == "refuse", (result.confidence, result.signals)
    without = _search(tmp_path / "off", embedder, SLIDES, implied_names=False)
    assert without.decision != "refuse", (without.confidence, without.signals)


def test_a_course_that_names_the_answer_answers(tmp_path, embedder):
    result = _search(tmp_path, embedder, [*SLIDES, REKOGNITION])
    assert result.implied_terms == []
    assert result.decision != "refuse", (result.confidence, result.signals)
    assert result.sources[0].page == 4


OPTIONS = "\nA. Amazon Polly\nB. Amazon Rekognition\nC. Amazon Lex\nD. Amazon Textract"


def test_pasted_options_are_candidate_answers_not_what_is_asked(tmp_path, embedder):
    """Distractors the course never names say nothing of the stem; the stem's need still names the answer."""
    covered = _search(tmp_path / "a", embedder, [*SLIDES, REKOGNITION], question=STEM + OPTIONS)
    assert covered.unknown_terms == [] and covered.decision != "refuse", (covered.confidence, covered.signals)
    uncovered = _search(tmp_path / "b", embedder, SLIDES, question=STEM + OPTIONS)
    assert uncovered.implied_terms == ["Amazon Rekognition"] and uncovered.decision == "refuse"
