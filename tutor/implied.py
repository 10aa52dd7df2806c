"""What a scenario asks for without naming it: the service, feature or metric its need points to.

Exam-style stems describe a need and ask «Which AWS service…?»: «detect inappropriate content in the photos
users upload» is Amazon Rekognition, «convert the recorded calls into text» is Amazon Transcribe. When a course
never names that answer, the course does not answer the question, however well its slides match the scenario's
words («images», «text», «customers»). The search cannot see this; the table below can. Each entry lists the
names a course would write for the answer and cue phrases (English and Spanish regular expressions on the folded
question: lower case, no accents) that describe its need specifically enough not to describe anything else.

The table is written from the exam's domains (the AWS AI services and the options the AIF-C01 task statements
name); some second phrasings came from reading our own exam-style sets' misses (docs/RETRIEVAL.md). It never
adds an answer: an implied name only counts, in :mod:`tutor.retrieve`, when the course writes none of its names
(the ``implied`` signal of :mod:`tutor.abstain`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tutor.text import cue_form, fold


@dataclass(frozen=True)
class Implied:
    """An answer a stem may ask for without naming it: ``name`` as shown, the ``aliases`` a course may write
    (any one of them, whole, means the course names it) and the cue phrases of its need."""

    name: str
    aliases: tuple[str, ...]
    cues: tuple[str, ...]
    together: tuple[tuple[str, ...], ...] = ()  # cue sets whose phrases must all appear, anywhere in the text
    unless: str = ""  # a phrase that says the need is met otherwise (the question's own model, another service)


_TEXTS = (
    r"\b(?:reviews?|comments?|feedback|posts?|tweets?|emails?|messages?|tickets?|surveys?|transcripts?|articles?|"
    r"documents?|opinion(?:es)?|resenas?|comentarios?|publicaci(?:on|ones)|mensajes?|correos?|encuestas?|"
    r"transcripci(?:on|ones)|articulos?|documentos?)\b"
)
# A managed service is what the stem wants: no model of its own to build, train or host, no ML expertise.
_MANAGED = (
    r"fully managed|managed (?:\w+ ){0,2}(?:service|api)|servicio (?:\w+ ){0,2}(?:gestionado|administrado)|"
    r"api (?:\w+ ){0,2}(?:gestionada|administrada)|without (?:building|training|managing)|"
    r"sin (?:crear|entrenar|gestionar)|"
    r"(?:no|without|little|sin|poca) (?:\w+ ){0,2}(?:ml|machine learning|aprendizaje automatico|data scien\w*) "
    r"(?:expertise|experience|knowledge|team)|"
    r"(?:no|without|sin) (?:in-house )?(?:data scientists|ml (?:engineers|team)|cientificos de datos)|"
    r"(?:sin|no tienen?|poca) (?:\w+ ){0,2}(?:experiencia|conocimientos|equipo) (?:\w+ ){0,2}(?:ml|machine learning|"
    r"aprendizaje automatico)"
)
# Without code, for business analysts: the answer is SageMaker Canvas (which a course names), not the service.
_NO_CODE = (
    r"no[- ]code|without (?:writing )?(?:any )?code|sin (?:escribir )?codigo|business analysts?|analistas? de negocio"
)
# Keeping an assistant from doing something: «never discuss», «block … from», «impedir/evitar que…» in any form.
_KEEP_FROM = r"(?:block|prevent|stop|restrict|forbid|avoid|keep|never)\w* (?:\w+ ){0,10}"
_IMPEDIR = r"(?:impid|imped|evit|bloque|restring|prohib)\w* (?:\w+ ){0,10}"
_GENAI = (
    r"\b(?:chatbot|assistant|asistente|bedrock|foundation model|modelo fundacional|llm|generative ai|"
    r"ia generativa|genai)\b"
)
_IMAGE = r"\b(?:images?|photos?|photographs?|pictures?|videos?|imagen(?:es)?|fotos?|fotografias?)\b"

IMPLIED = (
    Implied(
        "Amazon Rekognition",
        ("Rekognition",),
        (
            r"facial (?:recognition|analysis|comparison)",
            r"reconocimiento facial",
            r"(?:compare|match|verify) (?:\w+ ){0,2}faces",
            r"\bcelebrit",
        ),
        (
            (_IMAGE, r"\b(?:inappropriate|explicit|unsafe|offensive|nudity|inapropiad\w*|explicit\w*|ofensiv\w*)\b"),
            (_IMAGE, r"\b(?:faces|rostros|caras)\b"),
            (
                _IMAGE,
                r"(?:detect|identify|recogni[sz]e|detectar|identificar|reconocer)\w* (?:\w+ ){0,3}"
                r"(?:objects|objetos|scenes|escenas|people|personas)\b",
            ),
        ),
    ),
    Implied(
        "Amazon Transcribe",
        ("Transcribe",),
        (
            r"speech[- ]to[- ]text",
            r"(?:voz|habla|audio) a texto",
            r"(?:convert|turn|transform)\w* (?:\w+ ){0,5}(?:audio|recordings?|calls?|speech|voice)\b(?:\W+\w+){0,3}? "
            r"(?:into|to) (?:written )?text",
            r"(?:convertir|pasar|transformar) (?:\w+ ){0,5}(?:audio|grabaciones|llamadas|voz)\b(?:\W+\w+){0,3}? "
            r"(?:a|en) texto",
            r"\btranscribe (?:the |their |its |all )?(?:\w+ )?(?:audio|calls|recordings|speech|conversations|meetings)",
            r"(?:pasar|convertir|transformar)\w* a texto (?:\w+ ){0,2}"
            r"(?:audios?|grabaciones|llamadas|voz|conversaciones)",
            r"\btranscribir (?:las |los |sus )?(?:\w+ )?(?:audios?|llamadas|grabaciones|conversaciones|reuniones)",
            r"(?:generate|create|produce|add)\w* (?:\w+ ){0,3}(?:subtitles|captions|transcripts)\b",
            r"(?:generar|crear|producir|anadir|agregar) (?:\w+ ){0,3}(?:subtitulos|transcripciones)\b",
            r"written (?:version|record|copy|transcript) of (?:\w+ ){0,3}(?:calls?|recordings?|meetings?|audio|"
            r"conversations?|podcasts?|interviews?)",
            r"(?:version|copia|registro) (?:escrita|por escrito) de (?:\w+ ){0,3}(?:llamadas?|grabaciones?|reuniones?|"
            r"audios?|conversaciones?|entrevistas?)",
        ),
    ),
    Implied(
        "Amazon Polly",
        ("Polly",),
        (
            r"text[- ]to[- ]speech",
            r"texto a voz",
            r"(?:lifelike|natural[- ]sounding|realistic) (?:speech|voices?)",
            r"(?:convert|turn)\w* (?:\w+ ){0,4}text (?:\w+ ){0,2}(?:into|to) (?:\w+ )?(?:speech|audio|voice)",
            r"(?:convertir|pasar) (?:\w+ ){0,4}texto (?:\w+ ){0,2}(?:a|en) (?:\w+ )?(?:voz|audio|habla)",
            r"read (?:\w+ ){0,3}aloud",
            r"leer en voz alta",
            r"audio versions? of (?:\w+ ){0,3}(?:articles|books|documents|texts|news|posts|lessons)",
            r"versi(?:on|ones) (?:en|de) audio de (?:\w+ ){0,3}"
            r"(?:articulos|libros|documentos|textos|noticias|lecciones)",
        ),
    ),
    Implied(
        "Amazon Comprehend",
        ("Comprehend",),
        (
            r"key ?phrases",
            r"frases clave",
            r"dominant language",
            r"idioma (?:dominante|predominante)",
            r"(?:extract|detect|identify)\w* (?:\w+ ){0,3}(?:named )?entities",
            r"(?:extraer|detectar|identificar) (?:\w+ ){0,3}entidades",
            r"sentiment (?:of|in) (?:each|every|the|customer|their|all)\b",
            r"(?:detect|determine|analy[sz]e)\w* (?:\w+ ){0,3}sentiment",
            r"(?:detectar|determinar|analizar) (?:\w+ ){0,3}sentimiento",
            r"sentimiento (?:de|en) (?:cada|todas?|todos|las|los|sus)\b",
            r"entidades (?:que (?:mencionan|aparecen|citan)|nombradas|mencionadas)",
            r"topic model(?:l)?ing",
            r"modelado de temas",
        ),
        (
            (_TEXTS, r"\bpositive,? (?:\w+,? ){0,2}(?:or |and )?(?:negative|neutral)\b"),
            (_TEXTS, r"\bpositiv[oa]s?,? (?:\w+,? ){0,2}(?:o |y |u )?(?:negativ|neutr)"),
            (
                _TEXTS,
                r"(?:names|nombres) (?:of|de) (?:the )?(?:\w+ )?(?:people|places|brands|organi[sz]ations|companies|"
                r"products|personas|lugares|marcas|organizaciones|empresas|productos)\b",
            ),
        ),
        # its own model, or a metric of one: the answer is a metric or a training step, not the service
        unless=r"\b(?:false|falsos?|metrics?|metricas?|precision|recall|f1|has (?:built|trained)|ha entrenado|"
        r"transformers?|bert|layer|capa)\b|(?<!pre-)\btrained (?:a|an|its|their|the|own)\b",
    ),
    Implied(
        "Amazon Textract",
        ("Textract",),
        (
            r"(?:extract|pull|capture)\w* (?:\w+ ){0,4}(?:text|data|fields|tables|values|information) "
            r"(?:\w+ ){0,2}from (?:\w+ ){0,3}(?:scanned|handwritten|paper|pdf|documents?|forms?|invoices?|receipts?)",
            r"(?:extraer|capturar|obtener) (?:\w+ ){0,4}(?:texto|datos|campos|tablas|valores|informacion) (?:\w+ ){0,2}"
            r"(?:de|desde) (?:\w+ ){0,3}(?:escaneados?|manuscritos?|documentos?|formularios?|facturas?|recibos?|pdf)",
            r"optical character recognition",
            r"\bocr\b",
            r"handwrit",
            r"manuscrit",
            r"key[- ]value pairs",
            r"pares (?:de )?clave[- ]valor",
            r"(?:scanned|paper|printed) (?:\w+ ){0,3}(?:documents?|forms?|invoices?|receipts?|pages?) (?:\w+ ){0,8}"
            r"(?:structured data|machine[- ]readable|searchable text|digital text|tables)",
            r"(?:documentos?|formularios?|facturas?|recibos?|paginas?) (?:\w+ ){0,2}"
            r"(?:escanead[oa]s?|en papel|impres[oa]s?) "
            r"(?:\w+ ){0,8}(?:datos estructurados|texto digital|tablas)",
        ),
    ),
    Implied(
        "Amazon Lex",
        ("Lex",),
        (
            r"\bintents?\b(?:\W+\w+){0,12}?\W+slots?\b",
            r"\bintenciones\b(?:\W+\w+){0,12}?\W+(?:slots?|ranuras)\b",
            r"automatic speech recognition",
            r"reconocimiento automatico del habla",
            r"(?:voice|phone) (?:and text )?(?:chatbot|bot|conversational interface)",
            r"(?:chatbot|bot|interfaz conversacional) (?:de|por) voz",
        ),
        (
            (
                r"\b(?:intents?|intencion(?:es)?)\b",
                r"\b(?:voice|voz|telephon\w*|telefon\w*|phone|call cent\w*|contact cent\w*"
                r"|centro de (?:llamadas|contacto))\b",
            ),
        ),
    ),
    Implied(
        "Amazon Personalize",
        ("Personalize",),
        (
            r"personali[sz]ed (?:product |item |movie |content )?recommendations",
            r"recomendaciones personalizadas",
            r"recommendation engine",
            r"motor de recomendaci",
            r"recommended for you",
            r"recomendad[oa]s? para ti",
            r"(?:customers|people|users) who (?:bought|viewed|watched|liked)",
            r"(?:product|item|movie|film|music|song|article|video|content) recommendations",
            r"recomendaciones (?:de|sobre) (?:\w+ )?"
            r"(?:productos|articulos|peliculas|canciones|musica|contenidos?|videos)",
            r"(?:recommend|suggest)\w* (?:\w+ ){0,4}(?:products|items|movies|films|songs|articles|videos|titles) "
            r"(?:\w+ ){0,6}(?:based on|from|using) (?:\w+ ){0,4}(?:browsing|purchase|viewing|clickstream|click|"
            r"order|listening|watch|interaction)\w*",
            r"(?:recomendar|sugerir) (?:\w+ ){0,4}(?:productos|articulos|peliculas|canciones|videos|titulos) "
            r"(?:\w+ ){0,8}(?:historial|clics|compras|navegacion|interacciones)",
        ),
        unless=r"\b(?:embeddings?|vectors?|vectores|similarity search|busqueda (?:semantica|por similitud))\b",
    ),
    Implied(
        "Amazon Kendra",
        ("Kendra",),
        (
            r"enterprise search",
            r"busqueda empresarial",
            r"intelligent search (?:service|across|over)",
        ),
    ),
    Implied(
        "Amazon SageMaker Ground Truth",
        ("Ground Truth",),
        (
            r"(?:human|third[- ]party|private|public) (?:workforce|labelers|labellers|annotators)",
            r"etiquetadores",
            r"anotadores",
            r"(?:data )?label(?:l)?ing (?:job|jobs|tasks?|workforce|service|workflow)",
            r"(?:external|outside|outsourced|own) (?:\w+ )?workforce",
            r"active learning",
            r"aprendizaje activo",
            r"(?:create|build|produce|obtain)\w* (?:\w+ ){0,3}label(?:l)?ed "
            r"(?:training )?(?:data ?set|data)",
            r"(?:crear|construir|generar|obtener) (?:\w+ ){0,3}(?:conjunto de datos|datos) "
            r"(?:\w+ ){0,3}etiquetad",
            r"(?:automatic|automated|human|manual) (?:data )?label(?:l)?ing",
            r"etiquetado (?:automatico|humano|manual)",
            r"(?:flujo|trabajo|tareas?|proceso) de etiquetado",
            r"(?:label|annotate) (?:the |their |its |all )?(?:\w+ )?(?:images|data|dataset|records)",
            r"(?:etiquetar|anotar) (?:las |los |sus )?(?:\w+ )?(?:imagenes|datos|registros)",
        ),
    ),
    Implied(
        "ROUGE",
        ("ROUGE",),
        (
            r"summar\w* (?:\w+ ){0,10}(?:overlap|compared? (?:with|to)|against) (?:\w+ ){0,4}reference",
            r"reference summar",
            r"resumenes de referencia",
            r"resumenes (?:\w+ ){0,10}(?:solapamiento|coincid\w*|compar\w*) (?:\w+ ){0,4}referencia",
        ),
    ),
    Implied(
        "BLEU",
        ("BLEU",),
        (
            r"translat\w* (?:\w+ ){0,10}(?:overlap|compared? (?:with|to)|against) (?:\w+ ){0,4}reference",
            r"reference translations",
            r"traducciones de referencia",
            r"(?:metric|score)\w* (?:\w+ ){0,6}machine translation",
            r"machine translation (?:\w+ ){0,3}(?:metric|score|benchmark)",
            r"(?:metrica|puntuacion)\w* (?:\w+ ){0,6}traduccion automatica",
            r"traduccion automatica (?:\w+ ){0,3}(?:metrica|puntuacion)",
        ),
    ),
    Implied(
        "Amazon Translate",
        ("Amazon Translate",),
        (
            r"(?:real[- ]time|automatic|automated|neural machine) translation (?:service|api)",
            r"servicio de traduccion",
        ),
        (
            (
                r"translat\w* (?:\w+ ){0,8}into (?:\w+ ){0,3}(?:other |several |multiple |\d+ )?languages\b|"
                r"tradu\w* (?:\w+ ){0,8}(?:a|en) (?:\w+ ){0,3}(?:otros |varios |\d+ )?idiomas\b|"
                r"(?:convert|translat)\w* (?:\w+ ){0,3}(?:text|content|descriptions?) between languages|"
                r"(?:convertir|traducir) (?:\w+ ){0,3}(?:texto|contenido|descripciones) entre idiomas",
                _MANAGED,
            ),
        ),
    ),
    Implied(
        "Amazon Fraud Detector",
        ("Fraud Detector",),
        (),
        (
            (
                r"\bfraud\w*|\bfraude\w*|fake accounts|cuentas falsas|stolen (?:credit )?cards|tarjetas robadas",
                _MANAGED,
            ),
        ),
        # its own model, or a need that is a metric, an explanation or bias: the answer is not the service
        unless=r"\bsagemaker\b|\b(?:trained|has built|entreno|ha entrenado)\b|\b(?:explain\w*|explica\w*|bias|"
        r"sesgo\w*|metrics?|metricas?|precision|recall|exhaustividad)\b",
    ),
    Implied(
        "AWS Budgets",
        ("Budgets", "AWS Budget"),
        (
            r"(?:alert|notif|warn|email)\w* (?:\w+ ){0,8}(?:costs?|spend\w*|bill\w*) (?:\w+ ){0,4}"
            r"(?:exceeds?|goes? over|surpass\w*)\b",
            r"(?:alerta|avis|notifi|correo|email|e-mail|mensaje)\w* (?:\w+ ){0,8}(?:costes?|costos?|gasto|factura\w*) "
            r"(?:\w+ ){0,4}"
            r"(?:supere|superen|sobrepase|exceda|excedan)\b",
            r"(?:custom|set)\w* (?:\w+ ){0,2}(?:cost|spending) budgets?",
            r"(?:monthly |spending |cost )limit (?:\w+ ){0,12}(?:alert|notif|email|warn)\w*",
            r"limite (?:\w+ ){0,2}(?:de )?gasto (?:\w+ ){0,12}(?:alerta|avis|notifi|correo|email)\w*",
        ),
    ),
    Implied(
        "AWS Cost Explorer",
        ("Cost Explorer",),
        (
            r"(?:visuali[sz]e|analy[sz]e|explore|break down)\w* (?:\w+ ){0,4}(?:aws )?(?:costs|spending|bills?) "
            r"(?:\w+ ){0,4}(?:over time|by service|per service|trends?|past months)",
            r"(?:visualizar|analizar|explorar|desglosar) (?:\w+ ){0,4}(?:los )?(?:costes|costos|gastos?) "
            r"(?:\w+ ){0,4}(?:a lo largo del tiempo|por servicio|tendencias?|ultimos meses)",
        ),
    ),
    Implied(
        "Provisioned Throughput",
        ("Provisioned Throughput", "rendimiento aprovisionado"),
        (
            r"guaranteed (?:level of )?throughput",
            r"(?:reserved|dedicated|provisioned|guaranteed) (?:\w+ ){0,2}(?:throughput|capacity)",
            r"(?:rendimiento|capacidad) (?:\w+ ){0,2}(?:garantizad|reservad|dedicad|aprovisionad)",
            r"garantizad\w* (?:\w+ ){0,3}(?:de )?(?:capacidad|rendimiento)",
            r"(?:reserve|reservar) (?:\w+ ){0,5}(?:capacity|throughput|capacidad|rendimiento)",
            r"model units",
            r"unidades de modelo",
            r"guaranteed (?:\w+ ){0,3}(?:throughput|capacity)",
            r"commit\w* (?:\w+ ){0,3}(?:(?:1|6|one|six)[- ]months?|term)\b",
            r"compromiso (?:\w+ ){0,3}(?:(?:1|6|un|uno|seis) mes(?:es)?|plazo)\b",
        ),
    ),
    Implied(
        "Guardrails for Amazon Bedrock",
        ("Guardrails", "Guardrail", "barreras de proteccion"),
        (
            r"denied topics",
            r"temas (?:denegados|prohibidos|vetados)",
            r"contextual grounding check",
            rf"(?:{_IMPEDIR}|nunca\w* (?:\w+ ){{0,10}})(?:consejos?|asesor\w*|recomendaciones) (?:\w+ ){{0,2}}"
            r"(?:financier|legal|medic|de inversion)",
            _KEEP_FROM + r"(?:discuss|talk|mention|respond|answer|engag|provid|giv|offer)\w* (?:\w+ ){0,5}"
            r"(?:topics?|competitors?|(?:financial|investment|legal|medical|political) (?:advice|opinions?|topics?)|"
            r"politics)\b",
            _IMPEDIR + r"(?:habl|mencion|respond|trat|discut|opin|ofrec)\w* (?:\w+ ){0,5}"
            r"(?:temas?|competidores?|competencia|(?:consejos?|asesor\w*) (?:financier|legal|medic|de inversion)\w*|"
            r"politica)\b",
        ),
        (
            (
                _GENAI,
                r"(?:filter|block|detect|prevent|stop)\w* (?:\w+ ){0,5}(?:harmful|toxic|hateful|violent|offensive|"
                r"abusive|inappropriate|unsafe) (?:\w+ ){0,2}(?:content|language|responses|outputs|prompts|inputs|"
                r"messages)|(?:filtr|bloque|detect|impid|imped|evit)\w* (?:\w+ ){0,5}(?:contenidos?|lenguaje|"
                r"respuestas|salidas|prompts|entradas|mensajes) (?:\w+ ){0,2}(?:danin|toxic|de odio|violent|ofensiv|"
                r"abusiv|inapropiad|peligros)",
            ),
            (
                _GENAI,
                r"(?:redact|mask|filter|block|remov|anonymi[sz])\w* (?:\w+ ){0,5}(?:pii|personal(?:ly identifiable)? "
                r"(?:information|data)|sensitive (?:information|data))|(?:ocult|enmascar|filtr|bloque|elimin|"
                r"anonimi)\w* (?:\w+ ){0,5}(?:pii|datos personales|informacion personal|datos sensibles|"
                r"informacion sensible)",
            ),
        ),
    ),
    Implied(
        "SageMaker Serverless Inference",
        ("Serverless Inference", "Serverless", "inferencia sin servidor"),
        (
            r"(?:sporadic|intermittent|infrequent|unpredictable|spiky) (?:\w+ ){0,2}(?:traffic|requests|usage)",
            r"(?:trafico|solicitudes|peticiones|uso) (?:\w+ ){0,2}(?:esporadic|intermitente|impredecible|irregular)",
            r"cold[- ]starts?",
            r"arranques? en frio",
            r"(?:long|extended) idle (?:periods|time)",
            r"(?:largos )?periodos (?:\w+ )?inactiv\w*",
        ),
    ),
    Implied(
        "SageMaker Asynchronous Inference",
        ("Asynchronous Inference", "inferencia asincrona"),
        (
            r"(?:large|big) payloads?",
            r"(?:long|several minutes of) processing times?",
            r"cargas utiles (?:grandes|de gran)",
        ),
        ((r"\b(?:queue\w*|enqueue\w*|encol\w*|cola)\b", r"\b(?:minutes|minutos|payloads?|mb|gb)\b"),),
    ),
    Implied(
        "SageMaker Batch Transform",
        ("Batch Transform", "batch inference", "inferencia por lotes"),
        (
            r"batch (?:inference|predictions|transform|scoring)",
            r"(?:inferencia|predicciones) por lotes",
            r"(?:no|without) (?:need for )?(?:a )?persistent endpoint",
            r"sin (?:un )?endpoint persistente",
        ),
        (
            (
                r"(?:no|not|without|doesn'?t|does not|nobody|no one|sin|ningun\w*|nadie) (?:\w+ ){0,5}"
                r"(?:real[- ]time|tiempo real)",
                r"(?:every night|nightly|each night|overnight|once a (?:day|week|month)|daily|weekly|monthly|"
                r"cada noche|cada (?:dia|semana|mes)|diariamente|semanalmente|mensualmente)",
            ),
        ),
    ),
    Implied(
        "AWS Secrets Manager",
        ("Secrets Manager",),
        (
            r"rotat\w* (?:\w+ ){0,3}(?:credentials|passwords|secrets|api keys)",
            r"rota\w* (?:\w+ ){0,3}(?:credenciales|contrasenas|secretos|claves de api)",
            r"(?:store|manage|keep)\w* (?:\w+ ){0,3}(?:credentials|passwords|api keys|secrets)\b",
            r"(?:almacenar|guardar|gestionar) (?:\w+ ){0,3}(?:credenciales|contrasenas|claves de api|secretos)\b",
            r"(?:credentials?|passwords?|secrets?|api keys?) (?:\w+ ){0,4}rotat",
            r"(?:credenciales|contrasenas|secretos|claves de api) (?:\w+ ){0,4}rot(?:e|a|ar|en|ad)\b",
        ),
        (
            (
                r"\b(?:passwords?|credentials?|contrasenas?|credenciales)\b",
                r"\b(?:rotat\w*|rot(?:ar|arl[oa]s|e|en|a|acion))\b",
            ),
            (
                r"\bapi keys?\b|\bclaves? de api\b",
                r"\b(?:stor\w*|keep\w*|rotat\w*|almacen\w*|guard\w*|rot(?:e|a|ar|en|ad))\b",
            ),
        ),
    ),
    Implied(
        "Amazon GuardDuty",
        ("GuardDuty",),
        (
            r"threat detection",
            r"deteccion (?:inteligente )?de amenazas",
            r"malicious (?:activity|behavio)",
            r"actividad maliciosa",
            r"compromised (?:instances|credentials|accounts)",
            r"(?:instancias|credenciales|cuentas) comprometidas",
        ),
    ),
    Implied(
        "AWS Lake Formation",
        ("Lake Formation",),
        (),
        ((r"data lake|lago de datos", r"permission|access|permiso|acceso|govern|gobern"),),
    ),
    Implied(
        "AWS shared responsibility model",
        ("shared responsibility", "responsabilidad compartida"),
        (
            r"(?:divides?|division|split|shared?|reparte\w*|reparto|divide\w*) (?:\w+ ){0,3}"
            r"(?:responsibilit|responsabilidad)\w* (?:\w+ ){0,3}(?:between|entre) (?:\w+ ){0,2}"
            r"(?:aws|the customer|el cliente)",
            r"(?:who|quien) (?:\w+ ){0,4}(?:responsible|responde|responsable) (?:\w+ ){0,6}"
            r"(?:physical|fisica|data centers|centros de datos|hardware)",
        ),
    ),
    Implied(
        "SageMaker Model Registry",
        ("Model Registry", "registro de modelos"),
        (
            r"(?:catalog|register|version)\w* (?:\w+ ){0,3}models",
            r"model versions",
            r"(?:catalogar|registrar|versionar) (?:\w+ ){0,3}modelos",
            r"versiones (?:\w+ ){0,2}(?:de )?(?:los |sus )?modelos",
            r"approval status",
            r"estado de aprobacion",
            r"(?:catalog|register)\w* (?:\w+ ){0,2}(?:model )?versions",
            r"(?:catalogar|registrar) (?:\w+ ){0,2}versi(?:on|ones)",
        ),
    ),
    Implied(
        "SageMaker Autopilot",
        ("Autopilot",),
        (
            r"\bleaderboard\b",
            r"\bautoml\b",
            r"(?:try|tries|test|evaluat|explor|compar)\w* (?:\w+ ){0,3}(?:multiple|several|many|different) "
            r"(?:algorithms|model candidates|candidate models)",
            r"(?:probar|evaluar|explorar|comparar) (?:\w+ ){0,3}(?:varios|multiples|diferentes|distintos) "
            r"(?:algoritmos|modelos candidatos)",
        ),
        unless=_NO_CODE,
    ),
    Implied(
        "BERTScore",
        ("BERTScore", "BERT Score"),
        (),
        (
            (
                r"semantic similarity|similitud semantica|synonyms|paraphras|sinonimos|parafrasis",
                r"\bembeddings?\b",
                r"\b(?:metrics?|metricas?|scores?|puntuacion)\b",
            ),
        ),
    ),
    Implied(
        "Amazon Comprehend Medical",
        ("Comprehend Medical",),
        (
            r"protected health information",
            r"informacion (?:de salud protegida|sanitaria protegida)",
            r"\bphi\b",
        ),
        (
            (
                r"(?:extract|detect|identify|pull)\w*|(?:extraer|detectar|identificar)\b",
                r"(?:medical|clinical) (?:notes|text|records|reports|documents)|(?:notas|historias|informes|textos|"
                r"registros) (?:\w+ )?(?:clinic|medic)",
                r"medications?|dosages?|diagnos\w*|medicamentos?|dosis|condiciones medicas",
            ),
        ),
    ),
    Implied(
        "Amazon Mechanical Turk",
        ("Mechanical Turk", "MTurk"),
        (
            r"crowdsourc\w*",
            r"crowd ?workers?",
            r"(?:public|online) marketplace (?:\w+ ){0,4}(?:workers|workforce|tasks)",
            r"mercado (?:publico|en linea) (?:\w+ ){0,4}(?:trabajadores|tareas)",
            r"colaboracion (?:abierta|masiva)",
        ),
    ),
    Implied(
        "Amazon Forecast",
        ("Forecast",),
        (),
        (
            (
                r"time[- ]series|series (?:temporales|de tiempo)",
                r"(?:forecast|predict)\w* (?:\w+ ){0,4}(?:demand|sales|inventory|traffic|consumption)|(?:predecir|"
                r"pronosticar|prever|previsiones?|pronosticos?) (?:\w+ ){0,4}(?:demanda|ventas|inventario|trafico|"
                r"consumo)",
                _MANAGED,
            ),
        ),
        unless=_NO_CODE + r"|\bcanvas\b|\bsagemaker\b",
    ),
    Implied(
        "Amazon DocumentDB",
        ("DocumentDB",),
        (r"mongodb",),
    ),
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern, tuple[tuple[re.Pattern, ...], ...], re.Pattern], ...]:
    return tuple(
        (
            re.compile("|".join(entry.cues) or r"(?!)"),
            tuple(tuple(map(re.compile, cues)) for cues in entry.together),
            re.compile(entry.unless or r"(?!)"),
        )
        for entry in IMPLIED
    )


def implied(text: str) -> list[Implied]:
    """The answers ``text`` describes without naming any of their names."""
    folded = cue_form(text)
    return [
        entry
        for entry, (pattern, together, unless) in zip(IMPLIED, _compiled(), strict=True)
        if (pattern.search(folded) or any(all(p.search(folded) for p in cues) for cues in together))
        and not unless.search(folded)
        and not any(names(folded, alias) for alias in entry.aliases)
    ]


def names(folded_text: str, alias: str) -> bool:
    """Whether ``folded_text`` (folded) writes ``alias`` as whole words, whatever the spaces between them."""
    words = r"\s+".join(re.escape(w) for w in fold(alias).split())
    return re.search(rf"\b{words}\b", folded_text) is not None


# The sentence that asks wants a named thing: a service, an option, a metric… (not «why», not «which type of ML»).
_ASKS_FOR_NAME = re.compile(
    r"\b(?:services?|solutions?|options?|features?|capabilit(?:y|ies)|tools?|metrics?|products?|offerings?|aws|"
    r"amazon|sagemaker|bedrock|servicios?|soluci(?:o|ó)n(?:es)?|opci(?:o|ó)n(?:es)?|funcionalidad(?:es)?|"
    r"caracter(?:i|í)sticas?|capacidad(?:es)?|herramientas?|m(?:e|é)tricas?|productos?)\b",
    re.IGNORECASE,
)


# … or asks what to use or do («What should the company use?», «¿Qué debe hacer el equipo?»): the answer is one.
_ASKS_WHAT_TO_USE = re.compile(
    r"\b(?:what|which)\b[^?]*\b(?:use|choose|implement|adopt|deploy|do)\s*\?"
    r"|\bqu[eé]\b[^?]*\b(?:usar|utilizar|elegir|implementar|adoptar|desplegar|hacer|emplear)\b[^?]*\?",
    re.IGNORECASE,
)


def asks_for_name(ask: str) -> bool:
    """Whether the sentence that asks (``ask``) wants a named service, option, feature or metric, or what to
    use or do."""
    return _ASKS_FOR_NAME.search(ask) is not None or _ASKS_WHAT_TO_USE.search(ask) is not None
