"""The ``tutor`` command line (Spanish messages; ``--json`` for scripts)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from tutor import __version__
from tutor.config import InvalidParameter, Settings, load_settings, save_settings
from tutor.index import IndexLocked, IndexReport

PARAM_FLAGS = [
    # flag, settings field, type, help
    (
        "--temperature",
        "temperature",
        float,
        "aleatoriedad del muestreo (0–2; 0 = siempre el token más probable)",
    ),
    ("--top-p", "top_p", float, "muestreo de núcleo: masa de probabilidad acumulada que se conserva (0–1)"),
    ("--top-k", "top_k", int, "solo los k tokens más probables (0–200; 0 = sin límite)"),
    (
        "--min-p",
        "min_p",
        float,
        "descarta tokens con probabilidad menor que min-p × la del más probable (0–1)",
    ),
    ("--max-tokens", "max_tokens", int, "longitud máxima de la respuesta en tokens"),
    ("--repeat-penalty", "repeat_penalty", float, "penaliza repetir tokens recientes (1 = sin penalización)"),
    (
        "--frequency-penalty",
        "frequency_penalty",
        float,
        "penaliza tokens según cuántas veces han salido (-2–2)",
    ),
    ("--presence-penalty", "presence_penalty", float, "penaliza tokens que ya han salido (-2–2)"),
    ("--seed", "seed", int, "semilla (-1 = aleatoria; fija = respuesta reproducible)"),
    ("--n-ctx", "n_ctx", int, "tamaño de la ventana de contexto en tokens"),
    ("--threads", "n_threads", int, "hilos de CPU al generar (0 = automático: núcleos físicos)"),
    ("--threads-batch", "n_threads_batch", int, "hilos de CPU al procesar el prompt (0 = automático: todos)"),
    ("--gpu-layers", "n_gpu_layers", int, "capas del modelo en la GPU (-1 = todas, 0 = solo CPU; sin efecto sin GPU)"),
]


class TerminalProgress:
    """tqdm progress bars for the core's ``progress(stage, done, total)`` callbacks (to stderr)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.bar = None
        self.stage = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=stage, unit="", file=sys.stderr, leave=True)
        self.bar.n = done
        self.bar.refresh()
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        self.bar = None
        self.stage = None


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _make_tutor(args: argparse.Namespace, settings: Settings):
    from tutor.pipeline import Tutor

    if getattr(args, "model", None):
        from dataclasses import replace

        settings = replace(settings, llm_model=args.model)
    return Tutor(settings, Path(args.corpus) if args.corpus else None)


def _report_index(report: IndexReport | None, quiet: bool = False) -> None:
    if report is None or quiet:
        return
    if report.rebuilt_reason:
        _say(f"Se reconstruye el índice: {report.rebuilt_reason}.")
    _say(report.summary())
    for rel, message in report.problems:
        _say(f"  Aviso: {rel}: {message}")


def _ensure_index(tutor, args) -> None:
    progress = TerminalProgress(enabled=not getattr(args, "json", False))
    report = tutor.ensure_index(progress)
    progress.close()
    _report_index(report, quiet=getattr(args, "json", False) and not (report and report.problems))


def cmd_index(args, settings) -> int:
    tutor = _make_tutor(args, settings)
    _say(f"Indexando {tutor.corpus} …")
    progress = TerminalProgress()
    report = tutor.update_index(progress)
    progress.close()
    _report_index(report)
    if args.json:
        print(json.dumps(_report_dict(report), ensure_ascii=False, indent=2))
    return 0


def _report_dict(report: IndexReport) -> dict:
    return {
        "added": report.added,
        "updated": report.updated,
        "removed": report.removed,
        "unchanged": report.unchanged,
        "problems": [{"file": f, "message": m} for f, m in report.problems],
        "chunks": report.chunks,
        "embedded": report.embedded,
        "seconds": round(report.seconds, 3),
    }


def _lab_params(args, settings):
    from tutor.lab import LabParams

    gen = settings.generation.with_overrides(
        temperature=args.temperature, top_k=args.top_k, top_p=args.top_p, min_p=args.min_p
    )
    return LabParams.of(gen)


def cmd_lab(args, settings) -> int:
    tutor = _make_tutor(args, settings)
    lab_params = _lab_params(args, settings)
    params = settings.generation.with_overrides(n_ctx=args.n_ctx)
    from tutor.lab import DEFAULT_PROMPT

    args.text = DEFAULT_PROMPT if args.text is None else args.text
    result = tutor.lab(args.text, params, progress=None if args.json else _say)
    data = result.to_dict(lab_params, tutor.llm.piece, args.top)
    if args.generate:
        data["samples"] = tutor.lab_samples(result, lab_params, args.generate)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    pieces = " | ".join(f"{p!r}" for _, p in result.tokens)
    print(f"Prompt: {len(result.tokens)} tokens de {result.n_ctx} de contexto: {pieces}")
    p = lab_params
    print(f"temperatura {p.temperature} · top-k {p.top_k} · top-p {p.top_p} · min-p {p.min_p}")
    print(f"{'token':<18} {'logit':>7} {'p bruta':>8} {'p final':>8}")
    for c in data["candidates"]:
        bar = "█" * round(c["p_final"] * 40)
        note = f"  (quitado por {c['removed_by']})" if c["removed_by"] else ""
        print(f"{c['token']!r:<18} {c['logit']:>7.2f} {c['p_raw']:>8.3f} {c['p_final']:>8.3f} {bar}{note}")
    print(f"Quedan {data['kept_total']} tokens candidatos tras top-k, top-p y min-p.")
    for i, text in enumerate(data.get("samples", []), start=1):
        print(f"{i:>2}. {args.text}{text}")
    return 0


def cmd_quiz(args, settings) -> int:
    from dataclasses import replace

    from tutor.quiz import ScoreBook, grade

    if args.questions:
        settings = replace(settings, quiz_questions=args.questions)
    tutor = _make_tutor(args, settings)
    _ensure_index(tutor, args)
    book = ScoreBook()
    questions = tutor.practice(args.n, args.topic or "", args.review, args.seed, book)
    if args.json:
        print(json.dumps({"questions": [q.to_dict() for q in questions]}, ensure_ascii=False, indent=2))
        return 0
    if not questions:
        _say("No hay preguntas para ese tema en este curso.")
        return 1
    right = answered = 0
    letters = "abcdefgh"
    for number, question in enumerate(questions, start=1):
        print(f"\n{number}/{len(questions)}. {question.question}")
        for letter, option in zip(letters, question.options, strict=False):
            print(f"   {letter}) {option}")
        try:
            given = input("Tu respuesta: ").strip()
        except EOFError:  # stdin closed (a pipe ran out): stop cleanly, answers so far are saved
            print()
            break
        if len(given) == 1 and given.lower() in letters[: len(question.options)]:
            given = question.options[letters.index(given.lower())]
        correct = grade(question, given)
        right += correct
        answered += 1
        book.record(str(tutor.corpus), question, correct)
        verdict = "¡Correcto!" if correct else f"No: la respuesta es «{question.answer}»."
        print(f"   {verdict} Según {question.label()}: {question.explanation}")
    print(f"\nResultado: {right} de {answered}.")
    weak = [t for t, _, wrong in book.topic_scores(str(tutor.corpus)) if wrong][:5]
    if weak:
        print("Para repasar (tutor quiz --review): " + "; ".join(weak))
    return 0


def cmd_search(args, settings) -> int:
    tutor = _make_tutor(args, settings)
    _ensure_index(tutor, args)
    result = tutor.search(args.question, args.k)
    if args.json:
        payload = {
            "question": args.question,
            "abstained": result.abstained,
            "results": [s.to_dict() for s in result.sources],
            "retrieval_ms": round(result.ms, 1),
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    if result.abstained:
        print("(El curso no parece responder a esta pregunta; estos son los resultados más cercanos.)")
    for i, s in enumerate(result.sources, start=1):
        snippet = " ".join(s.text.split())[:160]
        print(f"{i}. {s.label()} — {s.title}  (puntuación {s.score:.3f})\n   {snippet}")
    return 0


def _params(args, settings):
    overrides = {field: getattr(args, field) for _, field, _, _ in PARAM_FLAGS}
    if args.stop:
        overrides["stop"] = tuple(args.stop)
    return settings.generation.with_overrides(**overrides)


def cmd_ask(args, settings) -> int:
    tutor = _make_tutor(args, settings)
    params = _params(args, settings)
    _ensure_index(tutor, args)
    streamed: list[str] = []

    def stream(text: str) -> None:
        streamed.append(text)
        print(text, end="", flush=True)

    answer = tutor.ask(
        args.question, params=params, on_text=None if args.json else stream, progress=None if args.json else _say
    )
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print()
    if answer.stopped_reason == "repetition":
        _say("(Respuesta cortada: el modelo empezó a repetirse.)")
    if answer.abstained:
        return 0
    main_text = answer.answer[: -len(answer.extract)].strip() if answer.extract else answer.answer
    if answer.kind == "passages":
        print(f"\n{answer.answer}")
    elif main_text != "".join(streamed).strip():
        print(f"\nCon las citas comprobadas contra las fuentes:\n{main_text}")
    if answer.extract:
        print(f"\n{answer.extract}")
    if answer.cited:
        print("\nFuentes citadas:")
        for n, s in answer.citations:
            print(f"  [{n}] {s.label()} — {s.title}")
    others = [(n, s) for n, s in enumerate(answer.sources, start=1) if n not in answer.cited]
    if others:
        print("Otras fuentes consultadas:")
        for n, s in others:
            print(f"  [{n}] {s.label()} — {s.title}")
    return 0


def cmd_eval(args, settings) -> int:
    from tutor.evaluate import evaluate, load_questions

    tutor = _make_tutor(args, settings)
    _ensure_index(tutor, args)
    questions = load_questions(Path(args.questions))
    progress = TerminalProgress(enabled=not args.json)
    report = evaluate(
        tutor, questions, k=args.k, answers=args.answers, on_question=lambda i, n: progress("Evaluando", i, n)
    )
    progress("Evaluando", len(questions), len(questions))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for row in report["per_question"]:
        rank = row["first_gold_rank"] or "-"
        flag = " (abstiene)" if row["abstained"] else ""
        print(f"{row['id']:>10}  {row['kind']:<13} rango {rank!s:>2}{flag}  {row['question'][:70]}")
    print()
    print(f"recall@{report['k']}: {report['recall_at_k']:.3f}   MRR@10: {report['mrr']:.3f}")
    print(
        f"abstención correcta: {report['abstention_accuracy']:.2f} de {report['unanswerable']} sin respuesta; "
        f"abstenciones falsas: {report['false_abstentions']} de {report['answerable']}"
    )
    print(f"recuperación p50: {report['retrieval_p50_ms']:.1f} ms")
    if args.answers:
        print(
            f"cobertura de palabras clave: {report['keyword_coverage']:.3f} "
            f"(solo texto generado: {report['keyword_coverage_generated_only']:.3f})   "
            f"precisión de citas: {report['citation_precision']:.3f}   "
            f"marcadores no válidos mostrados: {report['invalid_markers_shown']}"
        )
        print(
            f"respuestas degeneradas mostradas: {report['degenerate_share']:.3f} "
            f"(generaciones inservibles sustituidas por fragmentos: {report['fallback_share']:.3f})   "
            f"s/respuesta: {report['seconds_per_answer']:.1f}"
        )
    return 0


def cmd_models(args, settings) -> int:
    if args.action == "download":
        return _download_model(args)
    if args.action == "add":
        return _add_model(args)
    from tutor.catalog import catalog_rows, memory_summary
    from tutor.embed import available_embedders, resolve_embedder
    from tutor.llm import available_models, gpu_offload_supported, resolve_model

    current_llm = resolve_model(settings.llm_model)
    current_emb = resolve_embedder(settings.embedder)
    llms = [
        {
            "name": m.name,
            "path": str(m.path),
            "size_mb": round(m.size_bytes / 1e6, 1),
            "in_use": m.path == current_llm,
        }
        for m in available_models()
    ]
    embs = [{"name": e.name, "path": str(e.path), "in_use": e.path == current_emb.path} for e in available_embedders()]
    catalog = catalog_rows()
    if args.json:
        data = {"llms": llms, "embedders": embs, "catalog": catalog, "gpu_offload": gpu_offload_supported()}
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print("Modelos de lenguaje instalados (GGUF):")
    for m in llms:
        print(f"  {'*' if m['in_use'] else ' '} {m['name']}  ({m['size_mb']} MB)  {m['path']}")
    print(f"\nCatálogo (tutor models download NOMBRE). {memory_summary()}:")
    for row in catalog:
        state = "instalado" if row["installed"] else f"{row['size'] / 1e9:.1f} GB"
        fits = {True: "cabe", False: "NO cabe en la memoria", None: "memoria desconocida"}[row["fits"]]
        print(f"  {row['name']:<24} {state:<10} necesita {row['memory'] / 1e9:.1f} GB ({fits}) · {row['license']}")
        print(f"  {'':<24} {row['note']}")
    print("\nModelos de embeddings:")
    for e in embs:
        print(f"  {'*' if e['in_use'] else ' '} {e['name']}  {e['path']}")
    print(f"GPU: {'disponible' if gpu_offload_supported() else 'esta instalación de llama.cpp solo usa CPU'}")
    print("(* = en uso)")
    return 0


def _download_model(args) -> int:
    from tutor.catalog import DownloadError, download, find_model

    if not args.target:
        _say("Indica qué modelo descargar: tutor models download NOMBRE (ver «tutor models»).")
        return 2
    try:
        model = find_model(args.target)
    except DownloadError as exc:
        _say(f"Error: {exc}")
        return 2
    if model.installed_path():
        _say(f"{model.title} ya está instalado: {model.installed_path()}")
        return 0
    if model.fits() is False:
        _say(f"Aviso: {model.title} necesita unos {model.memory / 1e9:.1f} GB de memoria y este equipo tiene menos.")
    _say(f"Descargando {model.title} ({model.size / 1e9:.2f} GB, licencia {model.license}) desde {model.url}")
    _say("Es lo único de tutor que usa internet; después todo funciona sin conexión.")
    from tqdm import tqdm

    bars: list = []  # created on the first bytes, so a failed connection shows no empty bar

    def progress(done: int, total: int) -> None:
        if not bars:
            bars.append(tqdm(total=total or None, unit="B", unit_scale=True, file=sys.stderr, desc=model.name))
        bars[0].n = done
        bars[0].refresh()

    try:
        path = download(model, progress=progress)
    except DownloadError as exc:
        _say(f"\nError: no se pudo descargar {model.title}: {exc}")
        return 2
    finally:
        for bar in bars:
            bar.close()
    _say(f"Listo y verificado: {path}")
    _say(f"Para usarlo: tutor settings --set llm_model={path.name}   (o elígelo en la ventana)")
    return 0


def _add_model(args) -> int:
    from tutor.catalog import DownloadError, add_model

    if not args.target:
        _say("Indica el archivo: tutor models add /ruta/al/modelo.gguf [--link]")
        return 2
    try:
        path = add_model(Path(args.target), link=args.link)
    except DownloadError as exc:
        _say(f"Error: {exc}")
        return 2
    _say(f"Modelo añadido: {path}")
    _say(f"Para usarlo: tutor settings --set llm_model={path.name}   (o elígelo en la ventana)")
    return 0


def cmd_settings(args, settings) -> int:
    import tomli_w

    from tutor.paths import settings_path

    if args.set:
        data = settings.to_dict()
        for item in args.set:
            key, _, raw = item.partition("=")
            section, _, name = key.rpartition(".")
            target = data[section] if section else data
            if name not in target:
                raise InvalidParameter(f"Ajuste desconocido: {key}")
            target[name] = _parse_value(raw, target[name])
        settings = Settings.from_dict(data)
        save_settings(settings)
    print(f"# {settings_path()}")
    print(tomli_w.dumps(settings.to_dict()))
    return 0


def cmd_bench(args, settings) -> int:
    from tutor.bench import format_table, run_bench, to_json
    from tutor.paths import resolve_corpus

    corpus = Path(args.corpus).expanduser().resolve() if args.corpus else resolve_corpus(settings.corpus_dir)
    dev = Path(args.dev) if args.dev else Path("../shared/eval/dev.jsonl")
    figures = run_bench(settings, corpus, dev, quick=args.quick, model=args.model, say=_say)
    print(to_json(figures) if args.json else format_table(figures))
    return 0


def cmd_gui(args, settings) -> int:
    try:
        from tutor.gui.app import main as gui_main
    except ImportError as exc:
        _say(f"La ventana necesita PySide6 ({exc}). Instala tutor con: pip install 'tutor[gui]'")
        return 2
    return gui_main([sys.argv[0]], corpus=getattr(args, "corpus", None))


def _parse_value(raw: str, current):
    """A settings value from the command line: TOML syntax (true, 0.7, "texto"), else plain text."""
    import tomllib

    if isinstance(current, list):
        return [part.strip() for part in raw.split("|") if part.strip()]
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    if isinstance(current, bool) != isinstance(value, bool):
        raise InvalidParameter(f"Valor no válido: {raw!r} (se esperaba {type(current).__name__}).")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tutor", description="Tutor offline para tu curso (PDF y Markdown).")
    parser.add_argument("--version", action="version", version=f"tutor {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="mensajes de diagnóstico")
    sub = parser.add_subparsers(dest="command")

    def corpus_arg(p):
        p.add_argument("--corpus", help="carpeta del curso (por defecto, la de los ajustes: corpus/)")

    p = sub.add_parser("index", help="indexa (o actualiza) la carpeta del curso")
    corpus_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", help="busca las diapositivas más relevantes")
    p.add_argument("question")
    corpus_arg(p)
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="pregunta al tutor (respuesta en streaming con fuentes)")
    p.add_argument("question")
    corpus_arg(p)
    p.add_argument("--model", help="ruta o nombre de un .gguf en models/")
    for flag, field, kind, help_text in PARAM_FLAGS:
        p.add_argument(flag, dest=field, type=kind, default=None, help=help_text)
    p.add_argument("--stop", action="append", help="secuencia de parada (se puede repetir)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("lab", help="laboratorio de parámetros: los próximos tokens del modelo y sus probabilidades")
    p.add_argument("text", nargs="?", default=None, help="texto (por defecto, la analogía del curso)")
    p.add_argument("--model", help="ruta o nombre de un .gguf en models/")
    corpus_arg(p)
    for flag, field, kind, help_text in PARAM_FLAGS:
        if field in {"temperature", "top_k", "top_p", "min_p", "n_ctx"}:
            p.add_argument(flag, dest=field, type=kind, default=None, help=help_text)
    p.add_argument("--top", type=int, default=20, help="cuántos candidatos mostrar (20)")
    p.add_argument("--generate", type=int, default=0, metavar="N", help="genera también N continuaciones")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("quiz", help="preguntas de práctica sacadas de las diapositivas, con su cita")
    corpus_arg(p)
    p.add_argument("--model", help="ruta o nombre de un .gguf en models/")
    p.add_argument("--topic", help="solo diapositivas sobre este tema (título, archivo o texto)")
    p.add_argument("--n", type=int, default=5, help="número de preguntas (5)")
    p.add_argument("--review", action="store_true", help="repasar primero lo que fallaste")
    p.add_argument("--seed", type=int, default=None, help="semilla (las mismas preguntas cada vez)")
    p.add_argument("--questions", choices=["auto", "slides", "model"], help="quién escribe las preguntas")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_quiz)

    p = sub.add_parser("eval", help="evalúa la recuperación (y las respuestas) con preguntas de referencia")
    p.add_argument("questions", help="archivo .jsonl como shared/eval/dev.jsonl")
    corpus_arg(p)
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--answers", action="store_true", help="genera también las respuestas y las puntúa")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "models",
        help="modelos instalados y catálogo; «download NOMBRE» descarga uno, «add RUTA» añade un .gguf que ya tienes",
    )
    p.add_argument("action", nargs="?", choices=["list", "download", "add"], default="list")
    p.add_argument("target", nargs="?", help="nombre del catálogo (download) o ruta del .gguf (add)")
    p.add_argument("--link", action="store_true", help="con add: enlaza el archivo en vez de copiarlo")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("bench", help="mide indexación, búsqueda, generación, memoria y arranque en este equipo")
    corpus_arg(p)
    p.add_argument("--model", help="ruta o nombre de un .gguf en models/")
    p.add_argument("--dev", help="preguntas .jsonl para medir la búsqueda (por defecto ../shared/eval/dev.jsonl)")
    p.add_argument("--quick", action="store_true", help="versión corta (índice sintético de 10.000, 16 tokens)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("gui", help="abre la ventana (lo mismo que «tutor» sin argumentos)")
    corpus_arg(p)
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("settings", help="muestra o cambia los ajustes guardados")
    p.add_argument("--set", action="append", metavar="CLAVE=VALOR", help="p. ej. generation.temperature=0.7")
    p.set_defaults(func=cmd_settings)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tutor`` console script."""
    from tutor.llm import ModelError

    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    _quiet_libraries(args.verbose)
    settings = load_settings()
    if not getattr(args, "func", None):
        return cmd_gui(args, settings)
    try:
        return args.func(args, settings)
    except (InvalidParameter, ModelError, IndexLocked, FileNotFoundError, ValueError) as exc:
        _say(f"Error: {exc}")
        return 2
    except KeyboardInterrupt:
        _say("\nInterrumpido.")
        return 130


def _quiet_libraries(verbose: bool) -> None:
    """Hide library chatter (weight loading bars, deprecation notices) unless --verbose."""
    if verbose:
        return
    import os
    import warnings

    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    logging.getLogger("bm25s").setLevel(logging.WARNING)
