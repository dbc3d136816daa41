"""The programme report as a PDF (fpdf2): A4, the report's font embedded, every section
under its heading, tables that wrap their cells, the charts as the dashboard draws them, a
footer with the page and, for the demo data, the word that they are synthetic on every page."""

from __future__ import annotations

from fpdf import FPDF, FontFace

from klynge.programme_report.charts import FONTS, SCALE
from klynge.programme_report.content import Chart, Paragraph, Report, Table, printable, share_widths
from klynge.ui.texts import speaking, t

FAMILY = "Klynge"
TEXT = (33, 37, 41)
GREY = (96, 103, 112)
BANNER = (255, 243, 205)  # the demo's warning, as the dashboard's banner
BANNER_TEXT = (102, 77, 3)
RULE = (206, 212, 218)
HEADING = (14, 52, 96)
PX_TO_MM = 25.4 / 96  # a CSS pixel
CELL_PADDING = 1.2


class _Document(FPDF):
    def __init__(self, report: Report):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report = report
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.add_font(FAMILY, "", str(FONTS / "LiberationSans-Regular.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "LiberationSans-Bold.ttf"))
        self.set_title(printable(report.title))
        self.set_author("Klynge")
        self.set_creator("Klynge")
        self.set_lang(report.lang if report.lang == "en" else "nb")
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*GREY)
        left = printable(self.report.title) + (" · " + t("report.demo_short") if self.report.banner else "")
        self.cell(0, 4, left, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, t("report.page", page=self.page_no(), pages="{nb}"), align="R")

    # ------------------------------------------------------------------ blocks

    def paragraph(self, block: Paragraph) -> None:
        if block.kind == "banner":
            self.set_fill_color(*BANNER)
            self.set_text_color(*BANNER_TEXT)
            self.set_font(FAMILY, "B", 9.5)
            self.multi_cell(0, 5, printable(block.text), fill=True, padding=3, align="L", new_x="LMARGIN", new_y="NEXT")
            self.set_fill_color(255, 255, 255)
            self.ln(3)
            return
        note = block.kind == "note"
        self.set_font(FAMILY, "", 8 if note else 10)
        self.set_text_color(*(GREY if note else TEXT))
        self.multi_cell(0, 4 if note else 5, printable(block.text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5 if note else 2.5)

    def table_block(self, block: Table) -> None:
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*TEXT)
        self.set_draw_color(*RULE)
        widths = self.column_widths(block)
        aligns = tuple("RIGHT" if numeric else "LEFT" for numeric in block.numeric)
        headings = FontFace(emphasis="BOLD", fill_color=(241, 243, 245), color=TEXT)
        with self.table(col_widths=widths, width=sum(widths), align="LEFT", text_align=aligns, line_height=4.2,
                        headings_style=headings, borders_layout="HORIZONTAL_LINES", padding=CELL_PADDING,
                        cell_fill_mode="NONE") as table:
            table.row([printable(text) for text in block.columns])
            first_total = len(block.rows) - block.total_rows
            for index, cells in enumerate(block.rows):
                style = FontFace(emphasis="BOLD") if index >= first_total else None
                row = table.row()
                for text in cells:
                    row.cell(printable(text), style=style)
        self.ln(3)

    def column_widths(self, block: Table) -> list[float]:
        """Each column's longest word and longest text as this font sets them (`share_widths`),
        headings in bold; a text column at most 70 mm."""
        room = 2 * CELL_PADDING + 0.6
        least, most = [], []
        for index, heading in enumerate(block.columns):
            texts = [printable(row[index]) for row in block.rows]
            heading = printable(heading)
            self.set_font(FAMILY, "B", 8)
            # Lines break at spaces, never at a no-break space ("600 MNOK" stays whole).
            words = [self.get_string_width(word) for word in heading.split(" ")]
            whole = [self.get_string_width(heading)]
            self.set_font(FAMILY, "", 8)
            words += [self.get_string_width(word) for text in texts for word in text.split(" ")]
            whole += [self.get_string_width(text) for text in texts]
            least.append(max(words, default=0) + room)
            most.append(min(max(whole) + room, 70))
        return share_widths(least, most, self.epw - 0.01)

    def chart(self, block: Chart) -> None:
        width = min(self.epw, block.width / SCALE * PX_TO_MM)
        height = width * block.height / block.width
        needed = 7 + height + (8 if block.note else 0)
        if self.get_y() + needed > self.page_break_trigger:
            self.add_page()
        self.set_font(FAMILY, "B", 10)
        self.set_text_color(*TEXT)
        self.multi_cell(0, 5, printable(block.title), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)
        self.image(block.image, x=self.l_margin, w=width, h=height, alt_text=printable(block.title))
        self.set_y(self.get_y() + 1)
        if block.note:
            self.paragraph(Paragraph(block.note, "note"))
        self.ln(2)

    def heading(self, title: str) -> None:
        if self.get_y() > self.page_break_trigger - 40:  # a heading never ends a page
            self.add_page()
        self.set_font(FAMILY, "B", 14)
        self.set_text_color(*HEADING)
        self.multi_cell(0, 7, printable(title), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)


def write(report: Report) -> bytes:
    """The report as the bytes of a PDF file."""
    with speaking(report.lang):
        document = _Document(report)
        document.add_page()
        document.set_font(FAMILY, "B", 20)
        document.set_text_color(*HEADING)
        document.multi_cell(0, 9, printable(report.title), align="L", new_x="LMARGIN", new_y="NEXT")
        document.ln(1)
        document.paragraph(Paragraph(report.subtitle))
        document.paragraph(Paragraph(report.made, "note"))
        if report.banner:
            document.paragraph(Paragraph(report.banner, "banner"))
        for number, section in enumerate(report.sections):
            if number and (section.starts_page or any(isinstance(block, Chart) for block in section.blocks)):
                document.add_page()  # a theme with its chart, and the goals, start a page
            document.heading(section.title)
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    document.paragraph(block)
                elif isinstance(block, Table):
                    document.table_block(block)
                else:
                    document.chart(block)
        return bytes(document.output())
