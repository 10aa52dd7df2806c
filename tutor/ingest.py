"""Ingest: course files to citable units (a PDF page is a slide; a Markdown section) and chunks."""

from __future__ import annotations

import errno
import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from tutor.text import clean_text, in_capitals
from tutor.types import Chunk, Page

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".pdf", ".md", ".markdown", ".txt"}
INGEST_VERSION = 2  # bump when extraction changes: forces a re-index
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


class IngestError(Exception):
    """A file that cannot be read; the message (Spanish) names the reason."""


PageProgress = Callable[[int, int], None]  # (pages read, pages in the file)


def discover(corpus: Path) -> list[Path]:
    """Supported files under ``corpus``, sorted; names starting with ``.`` or ``_`` are skipped.

    Symlinked folders are followed once (a link back to a parent cannot loop). Broken or looping
    file links are returned too, so the indexer reports them instead of skipping them silently.
    """
    found = [path for path in _course_folder(corpus) if path.suffix.lower() in SUPPORTED_SUFFIXES]
    return sorted(path for path in found if path.is_file() or path.is_symlink())


def _course_folder(corpus: Path) -> Iterator[Path]:
    """Every file under ``corpus`` but those whose name (or folder's) starts with ``.`` or ``_``, each symlinked
    folder followed once."""
    seen: set[str] = set()
    for folder, dirs, files in os.walk(corpus, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]
        yield from (Path(folder) / name for name in files if not name.startswith((".", "_")))


def skipped_files(corpus: Path) -> list[str]:
    """The course folder's files tutor does not read (a .docx, an image), by name relative to the folder: the
    student is told, not left to wonder (seen in a student trial)."""
    unread = (path for path in _course_folder(corpus) if path.suffix.lower() not in SUPPORTED_SUFFIXES)
    return sorted(str(path.relative_to(corpus)) for path in unread)


def os_reason(exc: OSError) -> str:
    """A Spanish reason for an operating-system error on a course file."""
    reasons = {
        errno.ENOENT: "el archivo ya no existe (¿se borró o movió mientras se indexaba, o es un enlace roto?)",
        errno.EACCES: "no hay permiso para leerlo",
        errno.EPERM: "no hay permiso para leerlo",
        errno.ELOOP: "es un enlace simbólico en bucle",
        errno.EISDIR: "es una carpeta, no un archivo",
        errno.EIO: "error de lectura del disco",
    }
    return reasons.get(exc.errno, f"no se puede leer ({exc.strerror or exc})")


def read_pages(path: Path, rel: str, progress: PageProgress | None = None) -> list[Page]:
    """Read one file into pages; raises :class:`IngestError` with a Spanish reason.

    ``progress(done, total)`` is called while a PDF's pages are read, so a huge file shows movement.
    """
    if path.stat().st_size == 0:
        raise IngestError("el archivo está vacío (0 bytes)")
    if path.suffix.lower() == ".pdf":
        return _read_pdf(path, rel, progress)
    return _read_text(path, rel)


def _open_pdf(path: Path):
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    with path.open("rb") as fh:
        if not fh.read(1024).lstrip().startswith(b"%PDF"):
            raise IngestError("no es un PDF (la extensión es .pdf pero el contenido no)")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(
                "el PDF está protegido con contraseña; guarda una copia sin contraseña "
                "(por ejemplo, Imprimir → Guardar como PDF) en la carpeta del curso"
            )
        return reader, len(reader.pages)
    except IngestError:
        raise
    except FileNotDecryptedError as exc:
        raise IngestError("el PDF está cifrado y no se puede leer") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise IngestError(f"el PDF está dañado o incompleto ({exc})") from exc
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on broken files
        if "crypt" in str(exc).lower() or "aes" in str(exc).lower():
            raise IngestError("el PDF está cifrado con un método que no se puede leer") from exc
        raise IngestError(f"no se pudo leer el PDF ({type(exc).__name__}: {exc})") from exc


def _read_pdf(path: Path, rel: str, progress: PageProgress | None = None) -> list[Page]:
    reader, total = _open_pdf(path)
    raw = []
    for number in range(total):
        raw.append(_extract_page(reader, number))
        if progress and (number % 25 == 0 or number == total - 1):
            progress(number + 1, total)  # outside any try: a cancellation propagates
    boiler = _boilerplate([text.splitlines() for text in raw])
    bodies = [
        clean_text("\n".join(ln for ln in text.splitlines() if ln.strip() and ln.strip() not in boiler)) for text in raw
    ]
    titles = [_title(body) for body in bodies]
    for number in range(len(bodies) - 1):  # a heading a page break left behind goes to the page it heads
        heading = orphan_heading(bodies[number])
        if heading and _has_text(bodies[number + 1]):
            bodies[number] = bodies[number].rstrip()[: -len(heading)].rstrip()
            if not _heading_like(bodies[number + 1].strip().splitlines()[0].strip()):  # its own heading stays the title
                titles[number + 1] = heading
            bodies[number + 1] = f"{heading}\n{bodies[number + 1]}"
    pages = []
    for number, (title, body) in enumerate(zip(titles, bodies, strict=True), start=1):
        if _has_text(body):
            pages.append(Page(file=rel, page=number, title=title, text=body))
    if not pages:
        raise IngestError("el PDF no tiene capa de texto (¿solo imágenes?); necesita OCR y no se ha indexado")
    return pages


ORPHAN_WORDS = 10  # a heading left at a page's foot is at most this long


def orphan_heading(body: str) -> str:
    """The heading a page break left at the foot of ``body``, with nothing under it: its last line, short, with a
    capital and no final punctuation, after a finished sentence, a list item or a logo in capitals («…iteraciones
    sobre los datos existentes.», then «Overfitting (sobreajuste)», whose lines are on the next page). Not a line
    in capitals (a logo: «AWS COMMUNITY»), a list item, nor a formula's end. Empty when there is none."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if len(lines) < 2:
        return ""
    last, before = lines[-1], lines[-2]
    if last[0] in "-•*" or not last[0].isupper() or last.upper() == last or "$" in last or not _heading_like(last):
        return ""
    finished = re.search(r"[.!?…:;]$", before) or before[0] in "-•*"
    return last if finished or in_capitals(before) else ""  # a logo may stand between: «AWS COMMUNITY CARTAGENA»


def _heading_like(line: str) -> bool:
    """Short, with no final punctuation: a heading («Procesamiento de datos»), not a sentence."""
    return len(line.split()) <= ORPHAN_WORDS and not re.search(r"[.!?…:;,]$", line)


def _has_text(body: str) -> bool:
    """At least three letters or digits: a page worth indexing."""
    return len(re.sub(r"\W", "", body)) >= 3


def _extract_page(reader, number: int) -> str:
    try:
        return reader.pages[number].extract_text() or ""
    except Exception as exc:  # noqa: BLE001 - one bad page must not lose the file
        log.warning("página %d ilegible: %s", number + 1, exc)
        return ""


def _boilerplate(pages: list[list[str]]) -> set[str]:
    """Lines repeated on many pages of one deck (headers, footers) or bare page numbers."""
    if len(pages) < 4:
        return set()
    counts = Counter(line.strip() for lines in pages for line in set(lines) if line.strip())
    threshold = max(4, int(0.2 * len(pages)))
    boiler = {line for line, n in counts.items() if n >= threshold}
    boiler |= {line for line in counts if re.fullmatch(r"\d{1,4}", line)}
    return boiler


def _title(body: str) -> str:
    for line in body.splitlines():
        stripped = line.strip(" -#*")
        if sum(ch.isalpha() for ch in stripped) >= 3:
            return stripped[:120]
    return ""


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
            if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue
            return text
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


def _read_text(path: Path, rel: str) -> list[Page]:
    raw = _decode(path.read_bytes()).replace("\r\n", "\n")
    if "\x00" in raw:
        raise IngestError("no es un archivo de texto (contiene datos binarios)")
    sections: list[tuple[list[str], int, list[str]]] = []  # (heading path, first line, lines)
    stack: list[tuple[int, str]] = []
    current: list[str] = []
    start = 1
    in_code = False
    for lineno, line in enumerate(raw.split("\n"), start=1):
        if line.strip().startswith("```"):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if match:
            if any(s.strip() for s in current):
                sections.append(([h for _, h in stack], start, current))
            level, heading = len(match.group(1)), match.group(2).strip()
            stack = [(lv, h) for lv, h in stack if lv < level] + [(level, heading)]
            current, start = [], lineno
        else:
            current.append(line)
    if any(s.strip() for s in current):
        sections.append(([h for _, h in stack], start, current))
    pages = []
    for heading_path, first, lines in sections:
        body = clean_text("\n".join(lines))
        if not body:
            continue
        title = heading_path[-1] if heading_path else _title(body)
        pages.append(
            Page(
                file=rel,
                page=len(pages) + 1,
                title=title,
                text=body,
                kind="text",
                section=" > ".join(heading_path),
                line=first,
            )
        )
    if not pages:
        raise IngestError("el archivo no contiene texto")
    return pages


def split_page(page: Page, chunk_chars: int, overlap_chars: int) -> Iterator[Chunk]:
    """Split a page into overlapping chunks on word boundaries; every chunk cites the page."""
    text = page.text
    start, part = 0, 0
    while True:
        end = min(len(text), start + chunk_chars)
        if end < len(text):
            cut = text.rfind(" ", start + chunk_chars // 2, end)
            end = cut if cut > start else end
        yield Chunk(
            page.file,
            page.page,
            page.title,
            text[start:end].strip(),
            page.kind,
            page.section,
            page.line,
            part,
        )
        if end >= len(text):
            return
        next_start = max(end - overlap_chars, start + 1)
        space = text.find(" ", next_start, end)
        start = space + 1 if space != -1 else next_start
        part += 1


def chunk_pages(pages: list[Page], chunk_chars: int, overlap_chars: int) -> list[Chunk]:
    return [chunk for page in pages for chunk in split_page(page, chunk_chars, overlap_chars)]
