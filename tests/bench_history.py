"""How long a long saved conversation takes to open: ``python tests/bench_history.py [--turns 500]``.

Fills a throw-away data dir with one conversation of realistic turns (five cited slides each, saved turn
by turn as the window does), then measures, in this process: reading it back (``HistoryStore.open``), its
Markdown notes, and opening it from the window's «Conversaciones» panel until the chat is drawn
(offscreen). Prints one JSON object; not a test (timings on a shared machine are noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tutor.answer import Answer  # noqa: E402
from tutor.config import Settings  # noqa: E402
from tutor.conversation import Conversation  # noqa: E402
from tutor.history import HistoryStore  # noqa: E402
from tutor.types import Source  # noqa: E402

SLIDE = (
    "La temperatura controla la aleatoriedad del muestreo: divide los logits antes del softmax. "
    "Con valores bajos el modelo elige casi siempre el token más probable y las respuestas son "
    "deterministas; con valores altos reparte la probabilidad y aparecen respuestas más variadas. "
)


def synthetic_answer(i: int, question: str) -> Answer:
    """An answer shaped like a real one: five sources of ~900 characters, three cited, timings, context."""
    sources = [
        Source(f"tema-{(i + k) % 9 + 1:02d}.pdf", (i * 7 + k) % 40 + 1, f"Diapositiva {k + 1}", SLIDE * 3, 1.0 - k / 10)
        for k in range(5)
    ]
    text = (
        f"Respuesta {i}: la **temperatura** controla la aleatoriedad [1]. Un valor bajo da respuestas "
        "deterministas [2], y uno alto, más variadas [3].\n\n- Top-p recorta el núcleo.\n- Top-k limita "
        "los candidatos."
    )
    params = {"temperature": 0.2, "top_p": 0.9, "top_k": 40, "min_p": 0.05, "max_tokens": 512, "seed": -1}
    answer = Answer(question, text, False, sources, [1, 2, 3], params, "es", model="modelo-q4_k_m.gguf")
    answer.timings = {"retrieval_ms": 7.1, "first_token_ms": 151.0, "total_ms": 3200.0}
    answer.context = {"n_ctx": 4096, "sources": 900, "history": 600, "total_prompt": 1800, "answer": 512}
    answer.generated_text = text
    return answer


def fill_history(store: HistoryStore, turns: int, course: str = "") -> int:
    """One saved conversation of ``turns`` turns, written turn by turn; returns its number."""
    chat = Conversation(store, course=course)
    for i in range(turns):
        question = f"Pregunta {i}: ¿qué controla la temperatura en un modelo de lenguaje?"
        chat.finish(chat.begin(question), synthetic_answer(i, question))
    return chat.id


def bench_window(store: HistoryStore, cid: int) -> dict:
    """Milliseconds to open the conversation from the panel until the chat is drawn; one redraw's cost."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from tests.conftest import FakeLLM, HashEmbedder
    from tutor.gui.main_window import MainWindow
    from tutor.pipeline import Tutor

    app = QApplication.instance() or QApplication([])
    settings = Settings(corpus_dir=str(ROOT / "corpus"))
    window = MainWindow(settings, Tutor(settings, ROOT / "corpus", llm=FakeLLM(), embedder=HashEmbedder()))
    window.history_panel.store = store
    window.show()
    app.processEvents()
    started = time.perf_counter()
    window.history_panel.open(cid)
    app.processEvents()
    window.ask_view.conversation.viewport().repaint()
    opened = time.perf_counter() - started
    started = time.perf_counter()
    window.ask_view._render()  # what streaming an answer redraws (at most every 50 ms)
    app.processEvents()
    redraw = time.perf_counter() - started
    window.ask_view.show_all = True  # «Ver las … preguntas anteriores»: every turn drawn
    started = time.perf_counter()
    window.ask_view._render()
    app.processEvents()
    redraw_all = time.perf_counter() - started
    turns = len(window.ask_view.turns)
    window.close()
    return {
        "window_open_ms": round(opened * 1000, 1),
        "window_redraw_ms": round(redraw * 1000, 1),
        "window_redraw_all_turns_ms": round(redraw_all * 1000, 1),
        "turns_in_chat": turns,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=500)
    parser.add_argument("--no-window", action="store_true", help="only the core (no Qt)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["TUTOR_HOME"] = home
        store = HistoryStore()
        started = time.perf_counter()
        cid = fill_history(store, args.turns, str(ROOT / "corpus"))
        figures: dict = {
            "turns": args.turns,
            "write_ms_per_turn": round((time.perf_counter() - started) * 1000 / args.turns, 2),
        }
        figures["db_mb"] = round(sum(p.stat().st_size for p in Path(home).glob("history.sqlite*")) / 1e6, 1)
        from tutor.notes import conversation_markdown

        fresh = HistoryStore()  # a new connection, as after a restart
        started = time.perf_counter()
        chat = fresh.open(cid)
        figures["core_open_ms"] = round((time.perf_counter() - started) * 1000, 1)
        started = time.perf_counter()
        conversation_markdown(fresh.info(cid), chat.turns)
        figures["markdown_ms"] = round((time.perf_counter() - started) * 1000, 1)
        if not args.no_window:
            figures.update(bench_window(fresh, cid))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
