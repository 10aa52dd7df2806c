"""Build the sample slide decks (corpus/*.pdf) from the Markdown sources in this folder.

Each ``# Heading`` starts a slide; the following lines are its bullets. Run from the project root:

    .venv/bin/pip install reportlab && .venv/bin/python corpus/_fuente/build_decks.py
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

WIDTH, HEIGHT = 960, 540  # 16:9 slide
HERE = Path(__file__).resolve().parent


def slides(markdown: str) -> list[tuple[str, list[str]]]:
    result: list[tuple[str, list[str]]] = []
    for line in markdown.splitlines():
        if line.startswith("# "):
            result.append((line[2:].strip(), []))
        elif line.strip() and result:
            result[-1][1].append(line.strip())
    return result


def build(source: Path, target: Path) -> None:
    canvas = Canvas(str(target), pagesize=(WIDTH, HEIGHT), invariant=1)
    canvas.setTitle(source.stem)
    deck = slides(source.read_text(encoding="utf-8"))
    for number, (title, lines) in enumerate(deck, start=1):
        canvas.setFillColor(HexColor("#232F3E"))
        canvas.rect(0, HEIGHT - 90, WIDTH, 90, stroke=0, fill=1)
        canvas.setFillColor(HexColor("#FFFFFF"))
        canvas.setFont("Helvetica-Bold", 30)
        canvas.drawString(48, HEIGHT - 58, title)
        canvas.setFillColor(HexColor("#111111"))
        y = HEIGHT - 140
        for line in lines:
            for i, part in enumerate(simpleSplit(line, "Helvetica", 20, WIDTH - 130)):
                canvas.setFont("Helvetica", 20)
                canvas.drawString(64 if i == 0 else 84, y, ("• " if i == 0 else "") + part)
                y -= 28
            y -= 8
        canvas.setFont("Helvetica", 11)
        canvas.setFillColor(HexColor("#666666"))
        canvas.drawString(48, 24, "tutor · curso de ejemplo")
        canvas.drawRightString(WIDTH - 48, 24, str(number))
        canvas.showPage()
    canvas.save()


if __name__ == "__main__":
    for md in sorted(HERE.glob("*.md")):
        out = HERE.parent / f"{md.stem}.pdf"
        build(md, out)
        print(out)
