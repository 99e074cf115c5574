"""The page of the printable proposal: A4, the embedded fonts, running header and footer, the
status stamped across a proposal that is not a valid offer, and the few text styles it uses."""

from __future__ import annotations

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from .fonts import font_files

Color = tuple[int, int, int]
INK: Color = (33, 37, 41)
MUTED: Color = (108, 117, 125)
ACCENT: Color = (24, 64, 112)
RULE: Color = (206, 212, 218)
TINT: Color = (236, 241, 247)
STAMP: Color = (236, 238, 241)

FONT = "dejavu"
BODY_SIZE = 9.5
LINE = 4.6  # mm per line of body text

HEADING_STYLE = FontFace(family=FONT, emphasis="BOLD", color=ACCENT, fill_color=TINT, size_pt=8)
BOLD = FontFace(family=FONT, emphasis="BOLD", color=INK)
MUTED_STYLE = FontFace(family=FONT, emphasis="", color=MUTED, size_pt=8.5)


class ProposalCanvas(FPDF):
    """An A4 page with DejaVu Sans for Latin, Cyrillic and Greek, falling back to IPAexGothic for
    Japanese (regular and bold text alike)."""

    def __init__(self, *, running_title: str, footer_note: str, stamp: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.running_title, self.footer_note, self.stamp = running_title, footer_note, stamp
        files = font_files()
        self.add_font(FONT, "", str(files.regular))
        self.add_font(FONT, "B", str(files.bold))
        self.add_font("ipa", "", str(files.japanese))
        self.set_fallback_fonts(["ipa"], exact_match=False)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=20)
        self.set_font(FONT, size=BODY_SIZE)
        self.set_text_color(*INK)

    # --- running elements (fpdf calls these on every page) ------------------------------------
    def header(self) -> None:
        if self.stamp:
            self._stamp()
        if self.page_no() > 1:
            self.set_font(FONT, size=7.5)
            self.set_text_color(*MUTED)
            self.cell(self.epw, 5, self.fit(self.running_title, self.epw), new_x="LMARGIN", new_y="NEXT")
            self.rule(RULE)
            self.ln(5)

    def footer(self) -> None:
        self.set_y(-14)
        self.rule(RULE)
        self.set_font(FONT, size=7.5)
        self.set_text_color(*MUTED)
        half = self.epw / 2
        self.cell(half, 6, self.fit(self.footer_note, half))
        pages = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(half, 6, pages, align="R")

    def _stamp(self) -> None:
        self.set_font(FONT, "B", 110)
        self.set_text_color(*STAMP)
        width = self.get_string_width(self.stamp)
        middle_x, middle_y = self.w / 2, self.h / 2
        with self.rotation(50, middle_x, middle_y):
            self.text(middle_x - width / 2, middle_y + 14, self.stamp)

    def masthead(self, company: str, kind: str, reference: str) -> None:
        """Our name on the left; what the document is and its reference on the right; a rule."""
        top, half = self.y, self.epw / 2
        self.set_font(FONT, "B", 16)
        self.set_text_color(*ACCENT)
        self.multi_cell(half, 8, company, new_x="LMARGIN", new_y="NEXT")
        bottom = self.y
        self.set_xy(self.l_margin + half, top)
        self.set_font(FONT, "B", 9)
        self.set_text_color(*MUTED)
        self.cell(half, 5, kind, align="R", new_x="LEFT", new_y="NEXT")
        self.set_font(FONT, "B", 12)
        self.set_text_color(*INK)
        self.cell(half, 6, reference, align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_y(max(bottom, self.y) + 2)
        self.rule(ACCENT, 0.6)
        self.ln(6)

    # --- text styles ---------------------------------------------------------------------------
    def fit(self, text: str, width: float) -> str:
        """`text` cut with an ellipsis to fit one line of `width` in the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def rule(self, color: Color, width: float = 0.2) -> None:
        self.set_draw_color(*color)
        self.set_line_width(width)
        self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)

    def plain_style(self, size: float = BODY_SIZE) -> None:
        """Back to body text: ink, thin grey rules and no fill (so tables leave the stamp visible)."""
        self.set_font(FONT, size=size)
        self.set_text_color(*INK)
        self.set_fill_color(self.DEFAULT_FILL_COLOR)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)

    def heading(self, text: str, *, keep: float = 30) -> None:
        """A section title, kept on one page with the first `keep` mm of what follows it."""
        if self.will_page_break(keep):
            self.add_page()
        self.ln(6)
        self.set_font(FONT, "B", 12.5)
        self.set_text_color(*ACCENT)
        self.cell(self.epw, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.rule(ACCENT, 0.4)
        self.ln(3)
        self.plain_style()

    def subheading(self, text: str) -> None:
        if self.will_page_break(18):
            self.add_page()
        self.ln(1.5)
        self.set_font(FONT, "B", 10)
        self.set_text_color(*INK)
        self.multi_cell(self.epw, 5.5, text, new_x="LMARGIN", new_y="NEXT")

    def paragraph(
        self, text: str, *, muted: bool = False, size: float = BODY_SIZE, indent: float = 0
    ) -> None:
        """Wrapped text; the width is always explicit (fpdf cannot wrap into w=0 with a fallback font)."""
        self.set_font(FONT, size=size)
        self.set_text_color(*(MUTED if muted else INK))
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, LINE * size / BODY_SIZE, text, new_x="LMARGIN", new_y="NEXT")

    def bullet(self, text: str) -> None:
        self.set_font(FONT, size=BODY_SIZE)
        self.set_text_color(*ACCENT)
        self.cell(5, LINE, "•")
        self.set_text_color(*INK)
        self.multi_cell(self.epw - 5, LINE, text, new_x="LMARGIN", new_y="NEXT")

    def labelled(self, label: str, text: str) -> None:
        """A small label above its text, for the value argument and the terms."""
        if self.will_page_break(14):
            self.add_page()
        self.ln(1.5)
        self.set_font(FONT, "B", 8)
        self.set_text_color(*MUTED)
        self.cell(self.epw, 4.5, label.upper(), new_x="LMARGIN", new_y="NEXT")
        self.paragraph(text)
