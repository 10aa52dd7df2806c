"""Word lists of the sentence checker (tutor/claims.py): an English → Spanish glossary of common course words,
Spanish synonyms, light words, negations, antonyms. All are general language, none is tied to one course.

Glossary: entries ``english: spanish, spanish`` separated by ``;`` or new lines. Words are matched by stem on
both sides, so one form of each is enough. Cognates that share their first five letters (temperature/temperatura)
need no entry.
"""

from __future__ import annotations

import re

GLOSSARY = """
ability: capacidad, habilidad; able: capaz, poder; access: acceso, acceder; account: cuenta
accuracy: exactitud, precision; achieve: lograr, alcanzar; act: actuar; action: accion; add: agregar, añadir, anadir
adherence: cumplimiento, cumplir; adjust: ajustar, ajuste; after: despues, tras; against: contra; agent: agente
aim: objetivo, buscar, pretender; alert: alerta, alertar; align: alinear; all: todo, toda, todos; allow: permitir
alongside: junto; also: tambien, ademas; always: siempre; amount: cantidad; answer: respuesta, responder
appear: aparecer, figurar; apply: aplicar; approach: enfoque; area: area; ask: preguntar, pedir
assessment: evaluacion; assign: asignar; attack: ataque; attention: atencion; audit: auditoria, auditar
automatic: automatico; automatically: automaticamente; available: disponible; availability: disponibilidad
average: promedio, media; avoid: evitar; base: base; basic: basico; become: convertir, volver; before: antes
behavior: comportamiento; behaviour: comportamiento; benefit: beneficio, ventaja; best: mejor; better: mejor
between: entre; bias: sesgo; big: grande; block: bloque; both: ambos; bottleneck: cuello de botella
build: construir, crear; business: negocio, empresarial, empresa; call: llamada, llamar; can: poder, permitir
candidate: candidato; capture: capturar; case: caso; cause: causa, causar; center: centro; centre: centro
change: cambio, cambiar; chat: chat; check: comprobar, verificar, revisar; choice: eleccion, opcion
choose: elegir, escoger, seleccionar; class: clase; classify: clasificar; clean: limpiar; clear: claro
close: cerca, cercano; closer: cercano; code: codigo; coherent: coherente; collect: recopilar, recolectar, recoger
common: comun; company: empresa; compare: comparar; compliance: cumplimiento; complete: completo, completar
condition: condicion; connect: conectar; consider: considerar; contain: contener; content: contenido
context: contexto; control: control, controlar; correct: correcto, correctamente; cost: costo, coste
cost-effective: rentable; create: crear; creative: creativo; customer: cliente; customization: personalizacion
customize: personalizar; cut: reducir; data: datos, dato; decide: decidir; decoder: decodificador, decoder
deep: profundo; define: definir; deploy: desplegar, implementar, implantar; deployment: despliegue, implementacion
depend: depender; describe: describir; design: diseño, diseno, diseñar; detect: detectar; develop: desarrollar
development: desarrollo; different: diferente, distinto; difficult: dificil; dimension: dimension
discover: descubrir; discovery: descubrimiento, deteccion; distinguish: distinguir; diverse: diverso, variado
do: hacer; document: documento, documentar; domain: dominio; down: abajo; each: cada; early: temprano; easy: facil
easier: facil; effect: efecto; encrypt: cifrar; encryption: cifrado; end: fin, final; ensure: garantizar, asegurar
environment: entorno; error: error; ethical: etico; evaluate: evaluar; even: incluso; event: evento
evidence: evidencia, prueba; example: ejemplo; exam: examen; explain: explicar; extract: extraer; fact: hecho
fair: justo; fast: rapido; feature: caracteristica, funcion; few: pocos; file: archivo; find: encontrar
fine-tune: ajustar, ajuste; first: primero; fix: corregir; form: forma; framework: marco
free: gratis, gratuito, libre; full: completo; fully: totalmente; function: funcion; future: futuro; gap: brecha
general: general; generate: generar; give: dar, proporcionar, ofrecer; goal: objetivo, meta; good: bueno
governance: gobernanza, gobierno; guideline: pauta, directriz; half: mitad; hallucination: alucinacion
handle: gestionar, manejar; hard: dificil; harmful: dañino, danino, perjudicial; help: ayudar, ayuda; hidden: oculto
high: alto, elevado; higher: alto, mayor; human: humano; identify: identificar; image: imagen; improve: mejorar
include: incluir; increase: aumentar, incremento; individual: individual; information: informacion; input: entrada
instance: instancia; integrate: integrar; intelligence: inteligencia; issue: problema; job: trabajo; keep: mantener
key: clave, llave; know: saber, conocer; knowledge: conocimiento; label: etiqueta, etiquetar; labeled: etiquetado
labelled: etiquetado; language: lenguaje, idioma; large: grande; large-scale: gran escala; later: despues
layer: capa; leading: lider, principal; learn: aprender; learning: aprendizaje; legal: legal; less: menos
level: nivel; life: vida; lifecycle: ciclo de vida; limit: limite, limitar; list: lista; lower: bajo, menor
low: bajo; main: principal; maintain: mantener; make: hacer; manage: gestionar, administrar
managed: gestionado, administrado; manual: manual; many: muchos, varios; mask: enmascarar; mean: significar, media
meaning: significado; measure: medir, medida; mechanism: mecanismo; method: metodo; metric: metrica; model: modelo
monitor: monitorear, supervisar, monitor; monitoring: monitoreo, supervision; more: mas; most: mas
multi-step: varios pasos; name: nombre; natural: natural; need: necesitar, necesario, necesidad; needed: necesario
network: red; new: nuevo; next: siguiente; noise: ruido; number: numero, cantidad; obtain: obtener; offer: ofrecer
old: antiguo; online: linea; only: solo, unicamente; open: abierto; operate: operar; operation: operacion
option: opcion; order: orden; organization: organizacion; organisation: organizacion; other: otro
output: salida, resultado; outcome: resultado; oversight: supervision; own: propio; parameter: parametro
part: parte; past: pasado; people: personas; percentage: porcentaje; performance: rendimiento; permission: permiso
person: persona; personal: personal; phrase: frase; pick: elegir, seleccionar; plan: plan, planear; policy: politica
possible: posible; precise: preciso; predict: predecir; prediction: prediccion; predictable: predecible
preparation: preparacion; prepare: preparar; pretrained: preentrenado; pre-trained: preentrenado
prevent: prevenir, evitar; principle: principio; privacy: privacidad; private: privado; problem: problema
process: proceso, procesar; produce: producir, generar; product: producto; production: produccion; protect: proteger
provide: proporcionar, ofrecer, brindar; public: publico; quality: calidad; question: pregunta; random: aleatorio
randomness: aleatoriedad; range: rango, escala; rate: tasa; real: real; reason: razon, razonar
reasoning: razonamiento; record: registro; reduce: reducir; regulatory: regulatorio, normativo, reglamentario
relevant: relevante; reliable: confiable, fiable; remove: eliminar; report: informe, reporte
repository: repositorio; represent: representar; require: requerir, exigir; requirement: requisito
resource: recurso; response: respuesta; responsible: responsable; result: resultado; retrain: reentrenar
retrieval: recuperacion; review: revisar, revision; right: correcto, derecho; risk: riesgo; role: rol, funcion
rule: regla; run: ejecutar; safe: seguro; same: mismo; scale: escala; scan: escanear, analizar; score: puntuacion
search: busqueda, buscar; secure: seguro; security: seguridad; select: seleccionar
sensitive: confidencial, sensible; sentence: frase, oracion; sequence: secuencia; service: servicio; session: sesion
set: establecer, configurar, conjunto; share: compartir; show: mostrar; similar: similar; single: unico, sola, solo
size: tamaño, tamano; slide: diapositiva; small: pequeño, pequeno; solution: solucion; solve: resolver
source: fuente; specific: especifico; staff: personal; start: comenzar, empezar, iniciar; step: paso
store: almacenar, guardar; stored: almacenado; streamline: agilizar, simplificar; strict: estricto; strong: fuerte
success: exito; successful: satisfactorio, exitoso; such: tal; support: soporte, admitir; system: sistema
table: tabla; take: tomar; task: tarea; team: equipo; template: plantilla; test: prueba, probar; testing: prueba
text: texto; through: traves, mediante; time: tiempo; tool: herramienta; top: superior; track: rastrear, seguir
traffic: trafico; train: entrenar; training: entrenamiento; true: verdadero; trust: confianza; type: tipo
under: bajo; understand: entender, comprender; unlabeled: sin etiquetar; unlabelled: sin etiquetar; usage: uso
use: uso, usar, utilizar; user: usuario; useful: util; value: valor; variability: variabilidad; variety: variedad
vector: vector; visibility: visibilidad; want: querer, buscar; way: forma, manera; weight: peso; when: cuando
where: donde; while: mientras; whole: todo, completo; within: dentro; word: palabra; work: trabajo, funcionar
workload: carga de trabajo; world: mundo; write: escribir; wrong: incorrecto; year: año, ano
"""


# Spanish (and English) words that paraphrases swap for one another: one group a line, matched by stem.
SYNONYMS = """
usar utilizar emplear aprovechar use
unicamente exclusivamente solamente solo only
varios multiples diversos distintos diferentes several various multiple different
elegir seleccionar escoger optar eleccion seleccion choose select pick
limitar restringir acotar limit restrict
ejecutar lanzar correr run launch execute
evitar prevenir impedir avoid prevent
sobreajuste overfitting sobreajustar
subajuste underfitting
sugerir recomendar aconsejar proponer recommend suggest
parecido similar semejante parecida similares
proporcionar ofrecer brindar dar facilitar provide offer give
mostrar indicar show indicate
medir calcular evaluar valorar measure evaluate assess
detectar identificar descubrir detect identify discover
reducir disminuir bajar reduce decrease lower
aumentar incrementar ampliar subir increase raise
crear generar producir construir create generate produce build
objetivo meta fin proposito goal aim purpose
rapido veloz fast quick
grande amplio enorme extenso large big huge
pequeño reducido small
empresa organizacion compañia negocio company business
empresarial negocio
cliente usuario customer user
entrenar entrenamiento train training
reentrenar reentrenamiento retrain retraining
afinamiento ajuste fine-tuning finetuning
preentrenado pre-entrenado pretrained pre-trained
respuesta salida resultado output answer response
entrada input
fijo constante fixed
tarea trabajo task job
manejar gestionar administrar handle manage
requisito requerimiento requirement
proporcion porcentaje percentage proportion
convertir transformar convert transform
configurar establecer set configure
documentar registrar document record
parar detener detencion parada stop
especificar definir specify define
almacenar guardar store save
permitir habilitar allow enable
necesitar requerir require need
consultar preguntar query ask
integrar incorporar integrate incorporate
garantizar asegurar ensure guarantee
"""

# Words that carry little of a claim (light verbs, vague quantifiers): they weigh less in the coverage.
LIGHT = frozenset(
    """
    hacer permitir poder lograr obtener tener querer ayudar aplicar realizar llevar tipo forma manera caso
    nuevo gran grande importante principal general bueno buen dar ofrecer proporcionar existir encargar
    consistir considerar convenir necesario necesitar buscar usar utilizar emplear varios distintos
    diferentes modo vez junto relacionado basar funcionar clave necesidad siempre necesariamente realmente
    totalmente completamente
    make allow get give have want help apply perform various different new large main important good
    means mean use used using consist rely need needs needed also thing kind way appear appears
    """.split()
)
# Names too common in the course to tell one claim from another.
GENERIC_TERMS = frozenset("aws amazon ml ia ai fm fms llm llms api".split())
# Words that talk about the course rather than its content ("según el curso", "the slide says").
META = frozenset(
    """
    curso material materiales diapositiva diapositivas apuntes clase segun indica explica menciona afirma
    course slide slides notes according says states mentions lesson
    """.split()
)
NEGATIONS = frozenset("no nunca jamas sin ni tampoco ningun ninguna ninguno nadie not never without cannot nor".split())
# "sin embargo" is not a negation; "deja de", "stop" negate what follows.
NOT_NEGATIONS = ("sin embargo", "no obstante", "not only", "no solo", "no sólo")
NEGATING_VERBS = r"\b(?:dej\w* de|stops?|stopped|ceases?|fails? to|lacks?)\b"
NUMBER_WORDS = {
    **dict.fromkeys(["dos", "two"], "2"),
    **dict.fromkeys(["tres", "three"], "3"),
    **dict.fromkeys(["cuatro", "four"], "4"),
    **dict.fromkeys(["cinco", "five"], "5"),
    **dict.fromkeys(["seis", "six"], "6"),
    **dict.fromkeys(["siete", "seven"], "7"),
    **dict.fromkeys(["ocho", "eight"], "8"),
    **dict.fromkeys(["nueve", "nine"], "9"),
    **dict.fromkeys(["diez", "ten"], "10"),
    **dict.fromkeys(["cien", "hundred"], "100"),
    **dict.fromkeys(["mil", "thousand"], "1000"),
}
# Opposite words (folded Spanish or English stems): one on each side, the other absent, contradicts.
ANTONYMS = (
    ("facil", "dificil"),
    ("easi", "difficult"),
    ("easier", "harder"),
    ("alto", "baj"),
    ("alta", "baj"),
    ("high", "low"),
    ("higher", "lower"),
    ("mayor", "menor"),
    ("more", "less"),
    ("aument", "dismin"),
    ("increas", "decreas"),
    ("mejor", "peor"),
    ("better", "wors"),
    ("public", "priv"),
    ("siempr", "nunc"),
    ("always", "never"),
    ("automat", "manual"),
    ("before", "after"),
    ("ant", "despu"),
    ("rap", "lent"),
    ("fast", "slow"),
    ("increment", "reduc"),
    ("aument", "reduc"),
    ("precis", "imprecis"),
    ("determinist", "aleatori"),
)
# Extra function words, on top of tutor.text.STOPWORDS.
EXTRA_STOPWORDS = frozenset(
    """
    cuya cuyo cuyas cuyos mientras ademas segun traves cual dicho dicha dichos dichas asi mismo misma
    hacia tras durante mediante vez veces e u este esta estas sus tal tales aunque sino luego pues
    alli aqui ahi tu usted cuanto cuanta cuantos cuantas dentro partir
    a an any also although am because both but each either else ever every however if itself just like
    may might more most much must neither once only other others over own per same shall she so
    some such through too under until upon us very via well whether while whom whose within will yet
    he his her him one ones onto out up off again further here all has have had having being its
    """.split()
)


def glossary_pairs() -> list[tuple[str, list[str]]]:
    """The glossary as ``(english, [spanish, ...])`` pairs."""
    pairs = []
    for entry in re.split(r"[;\n]", GLOSSARY):
        if not entry.strip():
            continue
        english, _, spanish = entry.partition(":")
        pairs.append((english.strip(), [s.strip() for s in spanish.split(",") if s.strip()]))
    return pairs


def synonym_groups() -> list[list[str]]:
    """The synonym groups, each a list of words."""
    return [line.split() for line in SYNONYMS.strip().splitlines()]
