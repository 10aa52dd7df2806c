"""The core's shared data types: a leaf module that imports nothing from tutor."""

from __future__ import annotations

from dataclasses import dataclass


class Cancelled(Exception):
    """Raised from a progress callback to stop long work (indexing, a download); what was live stays live."""


@dataclass(frozen=True)
class Page:
    """A citable unit: one PDF page (slide) or one Markdown/text section."""

    file: str  # path relative to the corpus folder
    page: int  # 1-based page number, or section number for text files
    title: str
    text: str
    kind: str = "pdf"  # "pdf" | "text"
    section: str = ""  # heading path for text files ("Tema > Subtema")
    line: int = 0  # first line of the section in a text file


@dataclass(frozen=True)
class Chunk:
    """A piece of one page (never crosses a page), with the page it cites."""

    file: str
    page: int
    title: str
    text: str
    kind: str
    section: str
    line: int
    part: int  # 0-based index of the chunk within its page


@dataclass(frozen=True)
class Source:
    """One retrieved page or section, ready to cite."""

    file: str
    page: int
    title: str
    text: str
    score: float
    kind: str = "pdf"
    section: str = ""
    line: int = 0
    dense: float = 0.0
    lexical: float = 0.0
    carried: str = ""  # the previous slide's name its first lines go on about (``Retriever.with_carried``)

    def label(self) -> str:
        """How the student sees the citation: ``archivo.pdf, diapositiva 12``."""
        if self.kind == "pdf":
            return f"{self.file}, diapositiva {self.page}"
        where = f"sección {self.page}"
        return f"{self.file}, {where} «{self.title}»" if self.title else f"{self.file}, {where}"

    def shown_title(self) -> str:
        """The title as the student reads it beside the citation (:func:`tutor.text.label_title`)."""
        from tutor.text import label_title

        return label_title(self.title, self.text)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "page": self.page,
            "title": self.title,
            "score": round(self.score, 6),
            "text": self.text,
            "kind": self.kind,
            "section": self.section,
            "line": self.line,
        }
