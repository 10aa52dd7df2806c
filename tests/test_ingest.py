from pathlib import Path

import pytest

from tests.pdfs import make_pdf
from tutor.ingest import IngestError, discover, read_pages, split_page
from tutor.types import Page


def test_sample_deck_gives_one_page_per_slide_with_titles(sample_corpus):
    pages = read_pages(sample_corpus / "parametros-de-inferencia.pdf", "parametros-de-inferencia.pdf")
    assert [p.page for p in pages] == list(range(1, len(pages) + 1))
    assert pages[2].title == "Temperatura"
    assert "aleatoriedad" in pages[0].text
    assert all("curso de ejemplo" not in p.text.splitlines()[-1] for p in pages)  # footer removed


def test_markdown_sections_keep_heading_path_and_line(sample_corpus):
    pages = read_pages(sample_corpus / "apuntes-del-curso.md", "apuntes-del-curso.md")
    temp = next(p for p in pages if p.title == "Temperatura")
    assert temp.kind == "text"
    assert temp.section == "Apuntes del curso de ejemplo > Parámetros de inferencia > Temperatura"
    lines = (sample_corpus / "apuntes-del-curso.md").read_text(encoding="utf-8").splitlines()
    assert lines[temp.line - 1] == "### Temperatura"


def test_discover_skips_hidden_and_underscore_folders(sample_corpus):
    names = [p.name for p in discover(sample_corpus)]
    assert "build_decks.py" not in names
    assert "parametros-de-inferencia.md" not in names  # the deck's source under _fuente/
    assert "parametros-de-inferencia.pdf" in names


def test_long_page_splits_into_overlapping_chunks_citing_the_page():
    text = " ".join(f"palabra{i}" for i in range(600))
    page = Page("a.pdf", 7, "Título", text)
    chunks = list(split_page(page, chunk_chars=1000, overlap_chars=200))
    assert len(chunks) > 3
    assert {c.page for c in chunks} == {7}
    for first, second in zip(chunks, chunks[1:], strict=False):
        assert first.text.split()[-1] in second.text  # overlap
    assert chunks[-1].text.endswith("palabra599")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("vacio.pdf", b"", "vacío"),
        ("falso.pdf", b"esto no es un pdf", "no es un PDF"),
        ("roto.pdf", b"%PDF-1.4\n1 0 obj garbage", "PDF"),
        ("binario.txt", b"abc\x00\x00def", "binarios"),
    ],
)
def test_bad_files_raise_a_clear_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=reason):
        read_pages(path, name)


def test_latin1_and_bom_text_files_are_read(tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("# Sección\nLa información está aquí.".encode("latin-1"))
    bom = tmp_path / "bom.md"
    bom.write_bytes("\ufeff# Título\nTexto con acentos: canción.".encode())
    assert "información" in read_pages(latin, "latin.txt")[0].text
    page = read_pages(bom, "bom.md")[0]
    assert page.title == "Título" and "canción" in page.text


def test_image_only_pdf_says_it_needs_ocr(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = Path(tmp_path / "escaneado.pdf")
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(IngestError, match="OCR"):
        read_pages(path, "escaneado.pdf")


def test_a_heading_a_page_break_left_at_a_slides_foot_heads_the_next_slide(tmp_path):
    path = make_pdf(
        tmp_path / "sesgo.pdf",
        [
            "Underfitting (subajuste)\nEl modelo es demasiado sencillo.\nCómo arreglarlo:\n"
            "Aumentar los datos de entrenamiento.\nOverfitting (sobreajuste)",
            "El modelo capta el ruido en lugar de la relación subyacente.\nCómo arreglarlo:\n"
            "Reducir la flexibilidad del modelo.\nRegularización L2",
            "Regularización\nPenaliza los pesos grandes.\n- Detención temprana\nAWS COMMUNITY",
            "Bajo sesgo y baja varianza: el ajuste apropiado.",
        ],
    )
    first, second, third, fourth = read_pages(path, "sesgo.pdf")
    assert "Overfitting" not in first.text and first.text.endswith("Aumentar los datos de entrenamiento.")
    assert second.text.startswith("Overfitting (sobreajuste)\nEl modelo capta el ruido")
    assert second.title == "Overfitting (sobreajuste)"  # it had no heading of its own: a sentence opened it
    assert third.text.startswith("Regularización L2\nRegularización\n") and third.title == "Regularización"
    assert third.text.endswith("AWS COMMUNITY") and fourth.title.startswith("Bajo sesgo")  # a logo is no heading
