"""The programme report as slides (python-pptx), for leadership's own decks: a title slide,
the key figures, one chart per slide with its source, the goals, the clusters that changed
level and the caveats. Widescreen (16:9); every slide of synthetic data says so."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from klynge.programme_report.content import Chart, Paragraph, Report, Section, Table, printable, share_widths
from klynge.ui.texts import speaking, t

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
TEXT = RGBColor(0x21, 0x25, 0x29)
GREY = RGBColor(0x60, 0x67, 0x70)
HEADING = RGBColor(0x0E, 0x34, 0x60)
BANNER = RGBColor(0x9A, 0x3B, 0x00)
TABLE_TOP = Inches(2.0)
TABLE_ROOM = Inches(4.3)  # from the table's top to the notes
ROW = Inches(0.36)  # a row of one line
CELL_POINTS = 11
CHARACTER = Pt(CELL_POINTS * 0.5)  # the width of a character in a cell, about
BLANK = 6  # the blank layout of python-pptx's default template


def _text(slide, left, top, width, height, text: str, size: float, colour=TEXT, bold: bool = False):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = printable(text)
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
    return box


def _widths(block: Table, width: int) -> list[int]:
    """The columns' widths (EMU) by `share_widths`, from the characters of each column's
    longest word and text (a character about half the font's size wide)."""
    def longest(parts) -> int:
        return max((len(part) for part in parts), default=0)

    least, most = [], []
    for index, heading in enumerate(block.columns):
        texts = [printable(text) for text in (heading, *(row[index] for row in block.rows))]
        least.append((longest(word for text in texts for word in text.split(" ")) + 2) * CHARACTER)
        most.append((longest(texts) + 2) * CHARACTER)
    return [int(part) for part in share_widths(least, most, width)]


def _pages(block: Table, widths: list[int]) -> list[tuple[int, tuple[tuple[str, ...], ...]]]:
    """The table's rows in slides: (the first row's index, the rows), as many rows a slide
    as fit in TABLE_ROOM, each row as many lines high as its longest cell needs."""
    def lines(cells) -> int:
        cells = [printable(text) for text in cells]
        return max(-(-(len(text) + 2) * CHARACTER // max(column, 1)) for text, column in zip(cells, widths)) if cells else 1

    room = TABLE_ROOM - ROW * lines(block.columns)
    pages, start, used = [], 0, 0
    for index, cells in enumerate(block.rows):
        height = ROW * lines(cells)
        if used + height > room and index > start:
            pages.append((start, block.rows[start:index]))
            start, used = index, 0
        used += height
    pages.append((start, block.rows[start:]))
    return pages


class _Deck:
    def __init__(self, report: Report):
        self.report = report
        self.deck = Presentation()
        self.deck.slide_width, self.deck.slide_height = WIDTH, HEIGHT
        self.deck.core_properties.title = printable(report.title)
        self.deck.core_properties.author = "Klynge"

    def slide(self, title: str, lead: str = "", notes: str = ""):
        """A slide with its title, a lead sentence under it, notes at its foot, and the
        demo's label in its top corner when the data are synthetic."""
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[BLANK])
        _text(slide, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN - Inches(3), Inches(0.8), title, 26, HEADING, bold=True)
        if self.report.banner:
            _text(slide, WIDTH - MARGIN - Inches(3), Inches(0.35), Inches(3), Inches(0.3), t("report.demo_short").upper(), 11,
                  BANNER, True).text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
        if lead:
            _text(slide, MARGIN, Inches(1.05), WIDTH - 2 * MARGIN, Inches(0.8), lead, 15)
        if notes:
            _text(slide, MARGIN, HEIGHT - Inches(1.1), WIDTH - 2 * MARGIN, Inches(0.9), notes, 10, GREY)
        return slide

    def title_slide(self) -> None:
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[BLANK])
        _text(slide, MARGIN, Inches(2.2), WIDTH - 2 * MARGIN, Inches(1.5), self.report.title, 36, HEADING, bold=True)
        _text(slide, MARGIN, Inches(3.8), WIDTH - 2 * MARGIN, Inches(0.6), self.report.subtitle, 18)
        _text(slide, MARGIN, Inches(4.4), WIDTH - 2 * MARGIN, Inches(0.5), self.report.made, 12, GREY)
        if self.report.banner:
            _text(slide, MARGIN, Inches(5.3), WIDTH - 2 * MARGIN, Inches(1), self.report.banner, 14, BANNER, bold=True)

    def table(self, title: str, block: Table, lead: str, notes: str) -> None:
        """The table on as many slides as its rows need (each row's height guessed from its
        longest cell), its heading row on each."""
        width = WIDTH - 2 * MARGIN
        widths = _widths(block, width)
        for index, (start, rows) in enumerate(_pages(block, widths)):
            slide = self.slide(title if index == 0 else f"{title} ({index + 1})", lead if index == 0 else "", notes)
            shape = slide.shapes.add_table(len(rows) + 1, len(block.columns), MARGIN, TABLE_TOP, width, ROW * (len(rows) + 1))
            grid = shape.table
            for column, column_width in enumerate(widths):
                grid.columns[column].width = column_width
            first_total = len(block.rows) - block.total_rows
            for column, heading in enumerate(block.columns):
                self._cell(grid.cell(0, column), heading, block.numeric[column], bold=True)
            for row_number, cells in enumerate(rows, start=1):
                for column, text in enumerate(cells):
                    self._cell(grid.cell(row_number, column), text, block.numeric[column], bold=start + row_number > first_total)

    @staticmethod
    def _cell(cell, text: str, numeric: bool, bold: bool) -> None:
        cell.text = printable(text)
        paragraph = cell.text_frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT if numeric else PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size, run.font.bold = Pt(CELL_POINTS), bold

    def chart(self, block: Chart, source: str) -> None:
        slide = self.slide(block.title, notes=" ".join(part for part in (block.note, source) if part))
        room_width, room_height = WIDTH - 2 * MARGIN, HEIGHT - Inches(1.2) - Inches(1.2)
        scale = min(room_width / block.width, room_height / block.height)
        width, height = Emu(int(block.width * scale)), Emu(int(block.height * scale))
        picture = slide.shapes.add_picture(io.BytesIO(block.image), int((WIDTH - width) / 2), Inches(1.1), width, height)
        picture.name = printable(block.title)

    def text(self, title: str, paragraphs: list[Paragraph]) -> None:
        slide = self.slide(title)
        top = Inches(1.3)
        for paragraph in paragraphs:
            size = 13 if paragraph.kind == "note" else 18
            lines = max(1, len(paragraph.text) // (95 if size == 18 else 140) + 1)
            _text(slide, MARGIN, top, WIDTH - 2 * MARGIN, Pt(size * 1.3 * lines), paragraph.text, size,
                  GREY if paragraph.kind == "note" else TEXT)
            top += Pt(size * 1.45 * lines) + Inches(0.15)

    def section(self, section: Section, source: str) -> None:
        texts = [block for block in section.blocks if isinstance(block, Paragraph)]
        tables = [block for block in section.blocks if isinstance(block, Table)]
        chart_blocks = [block for block in section.blocks if isinstance(block, Chart)]
        # The section's sentences under its table, or on a slide of their own.
        for table in tables:
            self.table(section.title, table, " ".join(p.text for p in texts if p.kind != "note"),
                       " ".join(p.text for p in texts if p.kind == "note"))
        if not tables:
            self.text(section.title, texts)
        for block in chart_blocks:
            self.chart(block, source)


def write(report: Report) -> bytes:
    """The report as the bytes of a PPTX file."""
    with speaking(report.lang):
        deck = _Deck(report)
        deck.title_slide()
        for section in report.sections:
            deck.section(section, t("report.slide_source", year=report.year, selection=report.subtitle))
        out = io.BytesIO()
        deck.deck.save(out)
        return out.getvalue()
