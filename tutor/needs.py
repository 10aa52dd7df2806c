"""What a scenario question needs, said in other words: cue phrases → the words a course uses for it.

Exam-style stems describe a need instead of naming the concept: «the policies change every month and the company
does not want to retrain the model» is retrieval-augmented generation; «the suggestions are repetitive and
predictable» is the temperature. Neither the Spanish BM25 nor an English embedder links the two. Each need below
lists cue phrases (English and Spanish, matched on the folded question) and the words a course on the exam's
domains writes for it; when a cue matches, those words join the lexical search as one extra term of weight
:data:`NEED_WEIGHT` (the best of its words counts, so a need adds at most one term, whatever its length).

The table is written from the exam's domains (AWS Certified AI Practitioner task statements), in general
phrasings rather than any question's wording; a cue adds search words only, never an answer, and the decision
to answer reads the question as asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tutor.text import cue_form, fold, lexical_tokens

NEED_WEIGHT = 3.0  # a content word of the question weighs 1, a glossary translation 0.7, boilerplate 0.2


@dataclass(frozen=True)
class Need:
    """A need a scenario may describe: the cue phrases that tell it (regular expressions on folded text: lower
    case, no accents) and the words a course uses for it."""

    name: str
    cues: tuple[str, ...]
    words: str


NEEDS = (
    Need(
        "rag",
        (
            r"without (?:re)?train",
            r"sin (?:volver a )?(?:re)?entrenar",
            r"no (?:quiere|desea|puede) reentrenar",
            r"up[- ]to[- ]date",
            r"most recent (?:information|data)",
            r"latest (?:information|data|documents)",
            r"informacion (?:actualizada|reciente)",
            r"datos actualizados",
            r"(?:change|updated?) (?:every|each|frequently|often|daily|weekly|monthly)",
            r"(?:cambian?|se actualizan?|actualizan) (?:cada|a menudo|con frecuencia|mensual|semanal|diari)",
            r"internal (?:documents|knowledge|manuals|policies)",
            r"(?:documentos|manuales|politicas|protocolos) internos",
            r"company (?:documents|data|knowledge)",
            r"proprietary (?:documents|data)",
            r"knowledge base",
            r"base de conocimientos?",
            r"ground(?:ed)? (?:its |the )?(?:answers|responses)",
        ),
        "RAG recuperación",
    ),
    Need(
        "temperature",
        (
            r"\bcreativ",
            r"more divers",
            r"less divers",
            r"repetitive",
            r"repetitiv",
            r"predictable",
            r"predecible",
            r"random",
            r"aleatori",
            r"deterministic",
            r"determinist",
            r"same (?:answer|response|output)",
            r"misma respuesta",
            r"consistent (?:answers|responses|outputs)",
            r"(?:respuestas|textos|salidas) (?:\w+ ){0,2}"
            r"(?:consistentes|coherentes|variad[oa]s|distint[oa]s|conservador[ae]s|repetibles)",
            r"distint\w* en cada (?:intento|ejecucion|vez|consulta)",
            r"different (?:\w+ ){0,3}(?:each|every) time",
            r"more varied",
            r"mas variad",
            r"(?:as|more|less) (?:consistent|conservative)\b",
            r"(?:mas|menos|lo mas) (?:consistentes?|conservador\w*)",
            r"different (?:wordings|phrasings)",
        ),
        "temperatura aleatoriedad",
    ),
    Need(
        "length",
        (
            r"too long",
            r"demasiado larg",
            r"(?:length|longitud) (?:of|de) (?:the |las |los )?(?:responses?|answers?|respuestas?|outputs?|salidas?)",
            r"limit (?:the )?(?:length|number of (?:words|tokens))",
            r"limitar (?:la longitud|el numero de (?:palabras|tokens))",
            r"shorter (?:responses|answers)",
            r"respuestas mas cortas",
            r"verbose",
        ),
        "longitud",
    ),
    Need(
        "stop",
        (
            r"stop generating",
            r"dejar? de generar",
            r"deje de generar",
            r"stops? (?:the )?(?:generation|output)",
            r"detenga la generacion",
            r"(?:specific|certain) (?:string|sequence|marker|word)",
            r"(?:cadena|secuencia|marca) (?:especifica|concreta)",
            r"\bhalts?\b",
            r"keeps? (?:on )?(?:writing|generating)",
            r"sigue (?:escribiendo|generando)",
        ),
        "stop detención parada",
    ),
    Need(
        "context-window",
        (
            r"long conversations?",
            r"conversaciones (?:muy )?largas",
            r"long documents?",
            r"documentos (?:muy )?(?:largos|extensos)",
            r"forgets?",
            r"olvida",
            r"earlier (?:instructions|messages|parts)",
            r"(?:instrucciones|mensajes) (?:del principio|iniciales|anteriores)",
            r"beginning of the conversation",
            r"principio de la conversacion",
        ),
        "ventana",
    ),
    Need(
        "feature-store",
        (
            r"(?:central|centrali[sz]ed|shared) (?:\w+ ){0,3}(?:repository|store|catalog) (?:\w+ ){0,8}"
            r"(?:features|variables)",
            r"(?:repositorio|almacen|catalogo) (?:\w+ ){0,2}(?:central|centralizado|comun|compartido)\b"
            r"(?:\W+\w+){0,8}?\W+(?:variables|caracteristicas|features)",
            r"(?:share|reuse|compartir|reutilizar)\w* (?:\w+ ){0,4}(?:features|variables|caracteristicas) (?:\w+ ){0,6}"
            r"(?:across |between |entre )?(?:teams|equipos|models|modelos)",
        ),
        "Feature Store características",
    ),
    Need(
        "hallucination",
        (
            r"made[- ]up",
            r"makes? up",
            r"\binvent(?:s|ed|ing|a|an|ando|ar|e|en|o|ado|ada)?\b",
            r"fabricat",
            r"false (?:information|facts|answers)",
            r"(?:informacion|datos|respuestas) falsa",
            r"incorrect facts",
            r"hechos incorrectos",
            r"plausible but (?:wrong|incorrect)",
            r"plausibles? pero",
        ),
        "alucinaciones",
    ),
    Need(
        "chain-of-thought",
        (
            r"(?:think|reason|solve|work) (?:through (?:it |the problem )?)?step[- ]by[- ]step",
            r"(?:piens[ae]|pensar|razon[ae]|razonar|resuelv[ae]|resolver) paso a paso",
            r"reasoning",
            r"razonamiento",
            r"intermediate steps",
            r"pasos intermedios",
            r"multi-step (?:math|problems|reasoning|calculations?)",
            r"(?:jumps?|skips?|goes) (?:straight |directly )?to (?:a |the )?(?:final )?(?:answer|figure|result|number)",
            r"(?:salta|pasa) (?:directamente )?(?:a|al) (?:un |el )?(?:resultado|numero|cifra) final",
            r"intermediate (?:calculations?|results)",
            r"(?:calculos|resultados) intermedios",
            r"show (?:its|their) work",
        ),
        "razonamiento",
    ),
    Need(
        "few-shot",
        (
            r"(?:a few|some|several|small number of|handful of) (?:labell?ed )?examples (?:in|within|to) the prompt",
            r"(?:algunos|unos pocos|pocos|varios) ejemplos en (?:el|la) (?:prompt|instruccion|peticion)",
            r"(?:a handful of|a few|small number of) (?:\w+ ){0,3}(?:labell?ed|examples|samples)",
            r"(?:un punado de|unos pocos|unas pocas) (?:\w+ ){0,3}(?:etiquetad\w*|ejemplos|muestras)",
            r"(?:varios|varias|algunos|algunas) (?:\w+ ){0,2}(?:ya )?(?:clasificad|etiquetad)\w*",
            r"without (?:any )?examples",
            r"sin (?:ningun )?ejemplos?",
            r"no examples",
        ),
        "few-shot zero-shot",
    ),
    Need(
        "fine-tuning",
        (
            r"(?:specific|particular|own|brand|company'?s?) (?:tone|style|voice|terminology)",
            r"(?:tono|estilo|terminologia) (?:propio|de la (?:marca|empresa)|especifico|corporativo)",
            r"labeled examples for",
            r"ejemplos etiquetados",
            r"adapt (?:the |a )?(?:model|foundation model|fm|llm) to",
            r"adaptar (?:el |un )?(?:modelo|fm|llm) a",
        ),
        "tuning afinamiento",
    ),
    Need(
        "pretraining",
        (
            r"unlabel+ed",
            r"sin etiquetar",
            r"no etiquetad",
            r"large (?:corpus|collection) of (?:domain|text|documents|articles)",
            r"gran (?:corpus|coleccion) de",
        ),
        "preentrenamiento pre",  # «pre»: a slide titles it «Pre-entrenamiento continuo», whose tokens are pre, entren
    ),
    Need(
        "bias",
        (
            r"\bfair",
            r"equitativ",
            r"discriminat",
            r"gender",
            r"genero",
            r"\bage\b",
            r"\bedad\b",
            r"ethnic",
            r"etnia",
            r"demographic",
            r"demografic",
            r"(?:some|certain) groups",
            r"ciertos grupos",
            r"underrepresented",
            r"infrarrepresentad",
            r"(?:casi )?no (?:se )?contrat",
        ),
        "sesgo equidad",
    ),
    Need(
        "explainability",
        (
            r"explain (?:why|how|the|each|individual)",
            r"explicar (?:por que|como|cada|las)",
            r"why (?:the|a) model",
            r"por que el modelo",
            r"feature (?:importance|attribution)",
            r"importancia de (?:las )?(?:caracteristicas|variables)",
            r"which (?:features|factors|inputs)",
            r"que (?:caracteristicas|factores|variables)",
            r"black box",
            r"caja negra",
        ),
        "Clarify",
    ),
    Need(
        "monitoring",
        (
            r"\bdrift",
            r"deriva",
            r"degrad",
            r"over time",
            r"con el tiempo",
            r"quality of (?:the )?predictions",
            r"calidad de (?:las )?predicciones",
            r"accuracy (?:drops|decreases|declines)",
            r"precision (?:baja|cae|disminuye)",
        ),
        "Monitor deriva",
    ),
    Need(
        "api-audit",
        (
            r"who (?:called|made|invoked)",
            r"quien (?:llamo|hizo|invoco)",
            r"api (?:calls|activity|requests)",
            r"llamadas a la api",
            r"solicitudes (?:de|a la) api",
            r"audit (?:log|trail)",
            r"registro de auditoria",
            r"auditar",
        ),
        "CloudTrail",
    ),
    Need(
        "sensitive-data",
        (
            r"\bpii\b",
            r"personally identifiable",
            r"personal (?:data|information)",
            r"datos personales",
            r"informacion personal",
            r"sensitive (?:data|information)",
            r"datos (?:sensibles|confidenciales)",
            r"credit card",
            r"tarjetas? de credito",
        ),
        "Macie",
    ),
    Need(
        "private-network",
        (
            r"public internet",
            r"internet publico",
            r"traverse the internet",
            r"private (?:connection|connectivity|network)",
            r"(?:conexion|red) privada",
            r"\bvpc\b",
            r"without (?:going|traffic) (?:over|through) the internet",
        ),
        "PrivateLink",
    ),
    Need(
        "human-review",
        (
            r"human (?:review|reviewers?|oversight|in the loop)",
            r"revision humana",
            r"revisores? humanos?",
            r"low[- ]confidence",
            r"baja confianza",
            r"personas (?:revisen|revisan)",
        ),
        "A2I",
    ),
    Need(
        "encryption",
        (
            r"encrypt",
            r"\bcifra(?:do|dos|da|das|r)\b",
            r"\bcifrado",
            r"encryption keys",
            r"claves de cifrado",
            r"manage (?:the )?keys",
            r"gestionar (?:las )?claves",
        ),
        "KMS cifrado",
    ),
    Need(
        # Task 3.2 of the exam guide: the risks of prompt engineering. Inputs that turn the model against its
        # instructions, not merely unexpected or adversarial ones (robustness). Only "injection" is searched:
        # "prompt" is on every prompt-engineering slide, and a need's best word is what counts.
        "prompt-injection",
        (
            r"\b(?:make|makes|making|trick|tricks|get|gets) (?:the |its |our )?(?:model|chatbot|assistant|llm|bot)s? "
            r"(?:to )?ignore",
            r"\bque (?:el )?(?:modelo|chatbot|asistente|llm|bot) ignore",
            r"\b(?:override|bypass|circumvent|eludir|saltarse|saltar) (?:\w+ ){0,3}"
            r"(?:instructions|instrucciones|system prompt)",
            r"\b(?:reveal|leak|expose|revelar?|filtrar?)\w* (?:\w+ ){0,3}(?:system prompt|its instructions|"
            r"sus instrucciones)",
            r"\bprompt injection",
            r"\binyeccion de (?:prompts?|instrucciones)",
        ),
        "injection",
    ),
    Need(
        "vulnerabilities",
        (
            r"vulnerabilit",
            r"vulnerabilidad",
            r"software flaws",
            r"unintended network exposure",
            r"scan(?:ned|s)? (?:continuously|for)",
            r"escane",
        ),
        "Inspector vulnerabilidades",
    ),
    Need(
        "compliance-reports",
        (
            r"compliance (?:reports|documents|documentation)",
            r"(?:informes|documentos) de cumplimiento",
            r"\biso\b",
            r"\bsoc\b",
            r"certification reports",
            r"informes de certificacion",
        ),
        "Artifact",
    ),
    Need(
        "configuration",
        (
            r"configuration (?:changes|history|compliance)",
            r"cambios de configuracion",
            r"record (?:the )?configuration",
            r"registrar (?:la )?configuracion",
        ),
        "Config",
    ),
    Need(
        "no-code",
        (
            r"no[- ]code",
            r"without (?:writing )?(?:any )?code",
            r"sin (?:escribir )?codigo",
            r"business analysts?",
            r"analistas? de negocio",
        ),
        "Canvas",
    ),
    Need(
        "data-preparation",
        (
            r"prepare (?:the )?data",
            r"preparar (?:los )?datos",
            r"clean (?:the )?data",
            r"limpiar (?:los )?datos",
            r"transform (?:the )?data",
            r"transformar (?:los )?datos",
            r"missing values",
            r"valores (?:faltantes|nulos)",
        ),
        "Wrangler",
    ),
    Need(
        "model-documentation",
        (
            r"document (?:the )?(?:model|intended use)",
            r"documentar (?:el )?modelo",
            r"intended use",
            r"uso previsto",
            r"model (?:information|details) in one place",
            r"informacion del modelo",
        ),
        "Cards tarjetas",
    ),
    Need(
        "vector-search",
        (
            r"semantic (?:search|similarity)",
            r"busqueda semantica",
            r"similar (?:products|documents|items)",
            r"(?:productos|documentos) similares",
            r"vector (?:store|database|search)",
            r"embeddings? (?:store|database)",
        ),
        "vectoriales OpenSearch",
    ),
    Need(
        "agents",
        (
            r"multi[- ]step tasks",
            r"tareas de varios pasos",
            r"varios pasos",
            r"take actions",
            r"ejecutar (?:acciones|tareas)",
            r"call (?:company )?apis",
            r"llamar a (?:las )?apis",
        ),
        "agentes",
    ),
    Need(
        "overfitting",
        (
            r"(?:well|good|excellent|high) (?:\w+ )?on (?:the )?training data",
            r"bien (?:con|en) (?:los )?datos de entrenamiento",
            r"poorly on (?:new|test|unseen)",
            r"mal (?:con|en) (?:datos|los datos) (?:nuevos|de prueba)",
            r"memoriz",
            r"(?:training|train|entrenamiento)\b(?:\W+\w+){0,10}?\W+(?:but|pero|while|mientras)\b(?:\W+\w+){0,8}?\W+"
            r"(?:test|held[- ]out|validation|unseen|prueba|validacion|nuevos|no vistos)\b",
            r"(?:does not|doesn'?t|fails to) generali[sz]e",
            r"no generaliza",
        ),
        "sobreajuste overfitting",
    ),
    Need(
        "imbalance",
        (
            r"imbalanc",
            r"desbalance",
            r"desequilibr",
            r"rare (?:class|cases|events)",
            r"(?:clase|casos) (?:rara|raros|minoritari)",
            r"minority class",
            r"very few (?:examples|cases)",
            r"muy pocos (?:ejemplos|casos)",
        ),
        "desequilibrio",
    ),
    Need(
        "classification-metrics",
        (
            r"false (?:positives?|negatives?|alarms?)",
            r"falsos? (?:positivos?|negativos?)",
            r"falsas alarmas",
            r"missing a",
            r"pasar por alto",
            r"no detect(?:a|an|ar|e|en)\b",
            r"\b9\d ?% (?:de )?(?:exactitud|accuracy)|(?:exactitud|accuracy) (?:\w+ ){0,3}9\d ?%",  # high, but misses
        ),
        "recall exhaustividad",
    ),
    Need(
        "regression-metrics",
        (
            r"predict (?:a |the )?(?:price|number|amount|value|sales|demand)",
            r"predecir (?:el |un )?(?:precio|numero|importe|valor|ventas|demanda)",
            r"continuous value",
            r"valor continuo",
        ),
        "regresión RMSE",
    ),
    Need(
        "price",
        (
            r"cuanto (?:cuesta|cuestan|vale|valen|sale|salen|se paga|hay que pagar)",
            r"(?:que|cual es el) precio",
            r"how much (?:does|do|is|are|will)\b(?:\W+\w+){0,8}?\W+(?:cost|charge|pay)",
            r"how much (?:is|are) (?:the |a |an )?(?:\w+ ){0,3}(?:subscription|plan|license|licence)",
            r"what (?:is|are) the (?:price|prices|pricing|fee|fees)",
        ),
        "precio USD",
    ),
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern, tuple[str, ...]], ...]:
    return tuple(
        (
            re.compile("|".join(need.cues)),
            tuple(dict.fromkeys(t for w in need.words.split() for t in lexical_tokens(w))),
        )
        for need in NEEDS
    )


def needs_of(text: str) -> list[str]:
    """The names of the needs ``text`` describes (for reports and tests)."""
    folded = cue_form(text)
    return [need.name for need, (pattern, _) in zip(NEEDS, _compiled(), strict=True) if pattern.search(folded)]


def words_for_term(term: str) -> tuple[str, ...]:
    """The course's words for a need that ``term`` alone is a cue of («PII»: Macie's), else ().

    Such a term is no stranger to a course that writes those words, though the course never writes the term.
    """
    folded = fold(term)
    return next((tokens for pattern, tokens in _compiled() if tokens and pattern.fullmatch(folded)), ())


def need_groups(text: str) -> list[tuple[float, tuple[str, ...]]]:
    """The lexical side's extra terms for the needs ``text`` describes: (weight, the course's tokens)."""
    folded = cue_form(text)
    return [(NEED_WEIGHT, tokens) for pattern, tokens in _compiled() if tokens and pattern.search(folded)]
