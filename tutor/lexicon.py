"""Word lists of the sentence checker (tutor/claims.py) and the search (tutor/query.py): an English → Spanish
glossary of common words and of the field's words, Spanish synonyms, light words, negations, antonyms. All are
general language (or general to the field), none is tied to one course.

Glossary: entries ``english: spanish, spanish`` separated by ``;`` or new lines. Words are matched by stem on
both sides, so one form of each is enough. Cognates that share their first five letters (temperature/temperatura)
need no entry.
"""

from __future__ import annotations

import re

from tutor.text import fold

GLOSSARY = """
ability: capacidad, habilidad; able: capaz, poder; access: acceso, acceder; account: cuenta
accuracy: exactitud, precision; achieve: lograr, alcanzar; act: actuar; action: accion; add: agregar, añadir, anadir
adherence: cumplimiento, cumplir; adjust: ajustar, ajuste; after: despues, tras; against: contra; agent: agente
aim: objetivo, buscar, pretender; alarm: alarma, alerta; alert: alerta, alertar;
align: alinear; all: todo, toda, todos; allow: permitir
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

# The words of the field in English exam questions (AI and ML, generative AI, responsible AI, security and
# governance, cost and deployment, and the verbs and nouns of scenario stems), with the Spanish a course of the
# field uses. General to the field, not to one course; searched like GLOSSARY (English questions, English claims).
DOMAIN_GLOSSARY = """
clustering: agrupamiento, agrupación; unsupervised: no supervisado; reinforcement: refuerzo; reward: recompensa
feedback: retroalimentación, comentarios; dataset: conjunto de datos; overfitting: sobreajuste
underfitting: subajuste; trade-off: compromiso, equilibrio; tradeoff: compromiso, equilibrio
split: dividir, división; epoch: época; batch: lote; neural: neuronal; loss: pérdida
target: objetivo, variable objetivo; forecast: pronóstico, previsión, pronosticar; outlier: valor atípico, atípico
pattern: patrón; trend: tendencia; insight: conocimiento, perspectiva, hallazgo; speech: voz, habla; voice: voz
translation: traducción; translate: traducir; summarize: resumir; summary: resumen; recognition: reconocimiento
recognize: reconocer; object: objeto; entity: entidad; invoice: factura; receipt: recibo
handwriting: escritura a mano, manuscrito; unstructured: no estructurado; spreadsheet: hoja de cálculo
time-series: serie temporal; sample: muestra, muestrear; sampling: muestreo; accurate: preciso, exacto
inaccurate: impreciso, inexacto, incorrecto; recall: exhaustividad, sensibilidad, cobertura; matrix: matriz
false: falso; curve: curva; threshold: umbral; benchmark: punto de referencia, referencia
baseline: línea base, referencia; squared: cuadrático, al cuadrado; sensitivity: sensibilidad
foundation: fundacional, base; prompt: instrucción, indicación; embedding: incrustación, representación vectorial
embed: incrustar, integrar; chunk: fragmento, trozo; augment: aumentar, enriquecer
grounding: fundamentación, anclaje; grounded: fundamentado, basado; similarity: similitud
query: consulta, consultar; nearest: más cercano, cercano; neighbor: vecino; index: índice, indexar
database: base de datos; storage: almacenamiento; workflow: flujo de trabajo; pipeline: canalización, flujo
chain-of-thought: cadena de pensamiento; chain: cadena, encadenar; thought: pensamiento
zero-shot: cero ejemplos, sin ejemplos; few-shot: pocos ejemplos; one-shot: un ejemplo; tone: tono; style: estilo
verbose: extenso, detallado; length: longitud, extensión; reply: respuesta, responder; nucleus: núcleo
penalty: penalización; stop: parada, detener; max: máximo; fabricate: inventar; fabricated: inventado, ficticio
fictional: ficticio; misleading: engañoso; outdated: desactualizado, obsoleto; stale: obsoleto, desactualizado
up-to-date: actualizado; current: actual, vigente; latest: más reciente, último; fresh: reciente, actualizado
cutoff: fecha de corte, corte; window: ventana; fit: ajustar, encajar; long: largo; short: corto, breve
domain-specific: específico del dominio; freeze: congelar; frozen: congelado
tuning: ajuste, afinamiento, afinación; fine-tuning: ajuste fino, afinamiento; distill: destilar
quantization: cuantización; compress: comprimir; lightweight: ligero; smaller: más pequeño, menor
larger: más grande, mayor; checkpoint: punto de control; provision: aprovisionar; on-demand: bajo demanda
throughput: rendimiento; commitment: compromiso; term: plazo, término; pay: pagar, pago; payment: pago
price: precio; pricing: precios, tarificación; charge: cobrar, cargo; bill: factura, facturar
expensive: costoso, caro; cheap: barato, económico; budget: presupuesto; spend: gastar, gasto
save: ahorrar, guardar; affordable: asequible, económico; lowest: más bajo, mínimo; least: menor, mínimo, menos
overhead: sobrecarga, esfuerzo operativo; effort: esfuerzo; burden: carga; serverless: sin servidor
server: servidor; autoscaling: escalado automático; endpoint: punto de enlace; host: alojar, hospedar
serve: servir; invoke: invocar; request: solicitud, petición; real-time: tiempo real
offline: sin conexión, fuera de línea; peak: pico; spike: pico, aumento repentino; unpredictable: impredecible
load: carga, cargar; speed: velocidad; slow: lento; quick: rápido; quickly: rápidamente; delay: retraso, demora
wait: esperar, espera; idle: inactivo; tracking: seguimiento, rastreo; lineage: linaje; artifact: artefacto
rollback: reversión, revertir; rollout: lanzamiento, despliegue; release: lanzamiento, versión, publicar
launch: lanzar, lanzamiento; drift: deriva, desviación; decline: disminuir, disminución, caída
update: actualizar, actualización; upgrade: actualizar, mejorar; maintenance: mantenimiento
schedule: programar, calendario; trigger: activar, desencadenar, disparador; dashboard: panel, tablero
log: registro, registrar; trace: rastrear, traza; traceability: trazabilidad; traceable: trazable; law: ley
sovereignty: soberanía; country: país; boundary: límite, frontera; outside: fuera, exterior
retain: retener, conservar; delete: eliminar, borrar; erase: borrar; redact: ocultar, enmascarar
sanitize: sanear, depurar; proprietary: propietario, propio, privativo; property: propiedad
copyright: derechos de autor; license: licencia; ownership: propiedad, titularidad; owner: propietario, dueño
health: salud; healthcare: atención médica, sanidad, salud; patient: paciente; bank: banco; loan: préstamo
insurance: seguro; applicant: solicitante; approval: aprobación; reject: rechazar; deny: denegar; fraud: fraude
flag: marcar, señalar; suspicious: sospechoso; retail: minorista, comercio minorista
e-commerce: comercio electrónico; purchase: compra, comprar; buy: comprar; sell: vender; sale: venta
shipping: envío; delivery: entrega; supply: suministro; manufacturing: fabricación; equipment: equipo
failure: fallo, falla; complaint: queja, reclamación; inquiry: consulta; survey: encuesta
email: correo electrónico, correo; message: mensaje; assistant: asistente; employee: empleado; worker: trabajador
hire: contratar; student: estudiante, alumno; lawyer: abogado; campaign: campaña; brand: marca; news: noticias
draft: borrador, redactar; rewrite: reescribir; edit: editar; third-party: terceros; vendor: proveedor
partner: socio; open-source: código abierto; subscription: suscripción; marketplace: mercado; decrypt: descifrar
rest: reposo; rotate: rotar; password: contraseña; unauthorized: no autorizado; grant: otorgar, conceder
revoke: revocar; group: grupo; multi-factor: multifactor; firewall: cortafuegos; isolate: aislar
isolation: aislamiento; exposure: exposición; expose: exponer; threat: amenaza; attacker: atacante
injection: inyección; inject: inyectar; poisoning: envenenamiento; tamper: manipular, alterar
leak: fuga, filtración; leakage: fuga, filtración; breach: brecha, filtración, violación
misuse: uso indebido, mal uso; abuse: abuso; safeguard: salvaguarda, protección
guardrail: barrera de protección, salvaguarda; filter: filtrar, filtro
profanity: lenguaje soez, groserías, palabrotas; hate: odio; harm: daño, perjuicio; unsafe: inseguro, peligroso
dangerous: peligroso; misinformation: desinformación; comply: cumplir; meet: cumplir, satisfacer
adhere: cumplir, adherirse; violate: infringir, incumplir; violation: infracción, incumplimiento
enforce: aplicar, hacer cumplir; card: tarjeta, ficha; provenance: procedencia, origen; trail: rastro, registro
assess: evaluar, valorar; recover: recuperar; recovery: recuperación; backup: copia de seguridad, respaldo
disaster: desastre; fault: fallo, falla; outage: interrupción, caída; downtime: tiempo de inactividad
fairness: equidad, imparcialidad; unfair: injusto, parcial; gender: género; race: raza; age: edad
ethnicity: etnia, origen étnico; underrepresented: subrepresentado, infrarrepresentado
imbalance: desequilibrio, desbalance; imbalanced: desequilibrado; balanced: equilibrado
balance: equilibrio, equilibrar; skew: sesgo, asimetría; understandable: comprensible; explanation: explicación
trustworthy: confiable, fiable; reliability: fiabilidad, confiabilidad; safety: seguridad; truthful: veraz
truthfulness: veracidad; human-in-the-loop: humano en el bucle, supervisión humana; society: sociedad
environmental: ambiental, medioambiental; sustainability: sostenibilidad; footprint: huella; plagiarism: plagio
cite: citar; citation: cita, referencia; watermark: marca de agua; disclose: divulgar, revelar
disclosure: divulgación; intended: previsto; address: abordar, tratar, resolver; tackle: abordar
challenge: desafío, reto; concern: preocupación, inquietud; affect: afectar; unintended: no deseado, involuntario
opaque: opaco; black-box: caja negra; stakeholder: parte interesada, interesado; leadership: liderazgo
awareness: concienciación, conciencia; skill: habilidad, competencia; expertise: experiencia, conocimientos
scientist: científico; engineer: ingeniero; cross-functional: multifuncional, interfuncional; look: buscar, mirar
seek: buscar; enable: permitir, habilitar; minimal: mínimo; straightforward: sencillo, directo
suitable: adecuado, apropiado; appropriate: apropiado, adecuado; proper: adecuado, correcto; valuable: valioso
correctness: exactitud, corrección; exact: exacto; vary: variar; unstable: inestable; worse: peor; worsen: empeorar
poor: deficiente, pobre, malo; enhance: mejorar, potenciar; boost: impulsar, aumentar
decrease: disminuir, reducir, disminución; raise: aumentar, subir, elevar; drop: caída, bajar, descartar
grow: crecer; growth: crecimiento; alter: alterar, modificar; replace: reemplazar, sustituir
switch: cambiar, alternar; reuse: reutilizar; leverage: aprovechar, utilizar; adopt: adoptar; setup: configuración
upload: cargar, subir; download: descargar; ingest: ingerir, incorporar; ingestion: ingesta; parse: analizar
merge: fusionar, combinar; rank: clasificar, ordenar; ranking: clasificación; tag: etiqueta, etiquetar
annotate: anotar; gather: reunir, recopilar; fetch: obtener, recuperar; send: enviar; receive: recibir
return: devolver, retornar; display: mostrar; chart: gráfico; graph: gráfico, grafo; picture: imagen, foto
artwork: obra de arte, arte; caption: leyenda, subtítulo, descripción; speak: hablar; read: leer
suggest: sugerir, proponer; advise: aconsejar, asesorar; guide: guía, guiar; steer: dirigir, orientar
constrain: restringir, limitar; constraint: restricción, limitación; forbid: prohibir
guarantee: garantizar, garantía; judge: juzgar, juez; count: contar, recuento; quantify: cuantificar
infer: inferir, deducir; match: coincidir, coincidencia, emparejar; map: mapear, asignar; link: vincular, enlace
relate: relacionar; derive: derivar, obtener; involve: implicar, involucrar; rely: depender, confiar
lack: carecer, falta; missing: faltante, ausente; noisy: ruidoso; raw: bruto, crudo; previous: anterior
prior: previo, anterior; unseen: no visto, nuevo; unknown: desconocido; known: conocido; novel: nuevo, novedoso
unique: único; certain: cierto; uncertain: incierto; uncertainty: incertidumbre; confidence: confianza
confident: seguro, confiado; likely: probable; unlikely: improbable; likelihood: probabilidad, verosimilitud
chance: probabilidad, posibilidad; expect: esperar; expected: esperado, previsto; desired: deseado
unwanted: no deseado; undesirable: indeseable; purpose: propósito, finalidad; intent: intención
default: predeterminado, por defecto; time-consuming: lento, laborioso; labor-intensive: laborioso; costly: costoso
huge: enorme; massive: masivo, enorme; thousand: mil, miles; million: millón, millones; billion: mil millones
percent: porcentaje, por ciento; several: varios; various: varios, diversos; last: último; during: durante
daily: diario; weekly: semanal; monthly: mensual; hour: hora; day: día; month: mes; minute: minuto
often: a menudo, frecuentemente; rarely: raramente, rara vez; never: nunca
immediately: inmediatamente, de inmediato; enterprise: empresa; startup: empresa emergente; website: sitio web
mobile: móvil; phone: teléfono; note: nota, apunte; clause: cláusula; claim: reclamación, afirmación
statement: declaración, afirmación, enunciado; truth: verdad; mistake: error, equivocación; fail: fallar
succeed: tener éxito, lograr; stopping: detención, parada; shallow: superficial, poco profundo; tree: árbol
linear: lineal; engineering: ingeniería; encoding: codificación; encode: codificar; decode: decodificar
cross-validation: validación cruzada; curate: seleccionar, curar; step-by-step: paso a paso; paragraph: párrafo
vague: vago, impreciso; detail: detalle; rephrase: reformular; phrasing: redacción, formulación; ignore: ignorar
override: anular, invalidar, sobrescribir; bypass: eludir, evitar; reveal: revelar; hijack: secuestrar
overlap: solapamiento, superposición; rerank: reordenar; sync: sincronizar; crawl: rastrear; crawler: rastreador
folder: carpeta; keyword: palabra clave; dense: denso; sparse: disperso; cosine: coseno
pay-as-you-go: pago por uso; discount: descuento; tier: nivel; cheaper: más barato, más económico
revenue: ingresos; profit: beneficio, ganancia; invest: invertir; investment: inversión
waste: desperdicio, desperdiciar; compliant: conforme, que cumple; unbiased: imparcial, sin sesgo
polite: cortés, educado; friendly: amigable, cordial; casual: informal, distendido; empathetic: empático
brief: breve; lengthy: extenso, largo; thorough: exhaustivo, minucioso
comprehensive: completo, exhaustivo, integral; broad: amplio; wide: amplio, ancho
narrow: limitado, estrecho, acotado; finance: finanzas; harmless: inofensivo; fluent: fluido; fluency: fluidez
human-like: similar al humano; advanced: avanzado; state-of-the-art: de vanguardia, estado del arte
cutting-edge: de vanguardia; pre-built: predefinido, preconstruido; built-in: integrado, incorporado
out-of-the-box: predefinido, preconfigurado; off-the-shelf: estándar, predefinido
low-code: poco código, bajo código; no-code: sin código; tailored: adaptado, personalizado
in-house: interno, propio; end-to-end: de extremo a extremo; long-term: largo plazo; short-term: corto plazo
high-quality: alta calidad; low-latency: baja latencia; near: cerca, casi; ongoing: continuo, en curso
one-time: única vez, puntual; recurring: recurrente, periódico; route: enrutar, dirigir
triage: clasificar, priorizar; allocate: asignar; execute: ejecutar; begin: comenzar, empezar
finish: terminar, finalizar; retry: reintentar; repeat: repetir; archive: archivar, archivo; discard: descartar
deceive: engañar; exclude: excluir; favor: favorecer; treat: tratar; reflect: reflejar; reinforce: reforzar
outperform: superar; exceed: superar, exceder; underperform: rendir por debajo
perform: funcionar, rendir, desempeñar; behave: comportarse; capability: capacidad
drawback: desventaja, inconveniente; advantage: ventaja; disadvantage: desventaja; downside: desventaja
weakness: debilidad; strength: fortaleza, fuerza; item: elemento, artículo; entry: entrada, registro; field: campo
row: fila; kind: tipo; notebook: cuaderno; snippet: fragmento; cloud: nube
on-premises: local, en las instalaciones; zone: zona; edge: borde, periferia, perímetro; device: dispositivo
camera: cámara; actual: real, verdadero; deviation: desviación; bug: error, fallo; debug: depurar
freshness: actualidad, frescura; fee: tarifa, cuota; quota: cuota, límite; throttle: limitar, regular
accomplish: lograr, conseguir; get: obtener, conseguir; gain: obtener, ganar; acquire: adquirir
deliver: entregar, ofrecer; bring: traer, aportar; omit: omitir; lose: perder; unable: incapaz; capable: capaz
mandatory: obligatorio; primary: principal; entire: entero, completo; overall: general, global; remote: remoto
exposed: expuesto; unencrypted: sin cifrar; unusual: inusual, anómalo; abnormal: anómalo, anormal
typical: típico, habitual; rare: raro, poco frecuente; planning: planificación; turn: turno; fulfill: cumplir
cheapest: más barato, más económico; fastest: más rápido; simplest: más sencillo, más simple; easiest: más fácil
highest: más alto, máximo; smallest: más pequeño, mínimo; largest: más grande, mayor; page: página
face: rostro, cara; surveillance: vigilancia; shift: cambio, desplazamiento; refresh: actualizar
deviate: desviarse; disability: discapacidad; equal: igual, igualitario; equality: igualdad
treatment: trato, tratamiento; red-teaming: equipo rojo, pruebas adversarias; loop: bucle, ciclo
liability: responsabilidad legal; patch: parche, parchear; subnet: subred
customer-managed: gestionado por el cliente; physical: físico; board: junta, consejo, comité; maturity: madurez
roadmap: hoja de ruta; employ: emplear; notice: notar, observar, aviso; complain: quejarse
submit: enviar, presentar; engage: involucrar, interactuar; churn: abandono, deserción; loyalty: fidelidad, lealtad
post: publicación, publicar; warehouse: almacén; lake: lago; stream: flujo, transmisión; story: historia, relato
headline: titular; advertising: publicidad, anuncio
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
congelar congelado congelada inactivo inactiva freeze frozen
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
    totalmente completamente dejar
    make allow get give have want help apply perform various different new large main important good
    means mean use used using consist rely need needs needed also thing kind way appear appears
    """.split()
)
# Names too common in the course to tell one claim from another.
GENERIC_TERMS = frozenset(
    "aws amazon ml ia ai fm fms llm llms api "
    # who asks in a scenario («the CTO», «el equipo de RR. HH.»): roles, never what a course is about
    "ceo cto cio cfo coo ciso cdo hr rrhh".split()
)
# Words exam questions write in capitals for emphasis, in English and Spanish («With the LEAST effort…», «¿Qué
# debe hacer PRIMERO?»): no names.
EXAM_CAPITALS = frozenset(
    """
    LEAST MOST NOT EXCEPT BEST TWO THREE FOUR FIVE ONE NO ALL NEVER ALWAYS ONLY FIRST LAST MORE LESS FEWEST TRUE FALSE
    CORRECT INCORRECT MENOS MÁS PRIMERO PRIMERA PRIMER ÚLTIMO ÚLTIMA MEJOR MENOR MAYOR MÁXIMO MÍNIMO ÚNICO ÚNICA
    SOLO SÓLO NUNCA SIEMPRE TODOS TODAS NINGÚN NINGUNA NINGUNO EXCEPTO SALVO UNO UNA DOS TRES CUATRO CINCO
    VERDADERO VERDADERA FALSO FALSA CORRECTO CORRECTA INCORRECTO INCORRECTA
    """.split()
)


def no_topic(name: str) -> bool:
    """Whether a name, as written, is one of the field's common names («AWS», «LLM», a role) or an exam's
    emphasis in capitals («LEAST», «PRIMERO»): no topic of its own."""
    return name in EXAM_CAPITALS or fold(name) in GENERIC_TERMS


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
# Verbs that lessen what follows («reduce la exposición», "avoids exposing"): neither affirmed nor negated, so
# «sin exponer los datos» does not contradict «reduce la exposición de datos» (and «reduce» is no negation).
LESSENING_VERBS = re.compile(
    r"\b(?:reduc\w*|minimiz\w*|disminu\w*|evit\w*|mitig\w*|limit(?:a|an|ar|ando|s|ing)|previen\w*|preven\w*|"
    r"imp(?:ide|iden|edir)|avoid\w*|lower(?:s|ing)?|lessen\w*|decreas\w*)\b"
)
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
    for entry in re.split(r"[;\n]", GLOSSARY + "\n" + DOMAIN_GLOSSARY):
        if not entry.strip():
            continue
        english, _, spanish = entry.partition(":")
        pairs.append((english.strip(), [s.strip() for s in spanish.split(",") if s.strip()]))
    return pairs


def synonym_groups() -> list[list[str]]:
    """The synonym groups, each a list of words."""
    return [line.split() for line in SYNONYMS.strip().splitlines()]
