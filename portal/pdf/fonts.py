"""The PDFs' own Traditional Chinese font: Noto Sans CJK TC cut down to what Taiwan writes.

Debian's ``fonts-noto-cjk`` ships Noto Sans CJK as a 19 MB collection of five languages'
faces (``NotoSansCJK-Regular.ttc``, 20 MB more for bold). WeasyPrint copies the whole file
of every font it embeds into memory, and HarfBuzz subsets from it, so each render of a
two-page report carried both collections: most of a worker's memory (issue 18). The
Traditional Chinese face alone, subset to Big5 (CP950, what Taiwanese documents are
written in) plus Latin, punctuation, Bopomofo, fullwidth forms and every character the
project's own documents and catalogue use, is a few MB.

``manage.py build_pdf_fonts`` writes the files into ``settings.PDF_FONT_DIR`` (at image
build time, by ``scripts/test`` and by CI). :func:`font_face_css` declares them to
WeasyPrint; the stylesheet (``static/css/report.css``) names :data:`FAMILY` first and
Noto Sans CJK TC after it, so a missing file, or a rare character outside the subset
(a name written outside Big5), falls back to the system font glyph by glyph.

The font is licensed under the SIL Open Font License 1.1 (Debian's
``/usr/share/doc/fonts-noto-cjk/copyright``); the subset keeps the font's name table,
licence and copyright records included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# The family the stylesheets name; distinct from the system's "Noto Sans CJK TC" so that
# fontconfig never mixes the two, and still containing that name in the PDF's font names.
FAMILY = "Noto Sans CJK TC Big5"
FONT_SCHEME = "pdf-font"  # portal.pdf.fetch serves it
SYSTEM_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SOURCE_FAMILY = "Noto Sans CJK TC"


@dataclass(frozen=True)
class Face:
    weight: int
    source: str  # the Debian collection the face is taken from
    filename: str  # what build_pdf_fonts writes into PDF_FONT_DIR


FACES = (
    Face(400, "NotoSansCJK-Regular.ttc", "NotoSansCJKtc-Regular-Big5.otf"),
    Face(700, "NotoSansCJK-Bold.ttc", "NotoSansCJKtc-Bold-Big5.otf"),
)

# Ranges kept whole besides Big5: Latin and its punctuation, general punctuation, arrows and
# mathematical operators a document may print, CJK symbols and punctuation, Bopomofo,
# enclosed numbers, CJK compatibility forms, fullwidth and halfwidth forms.
KEPT_RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x2000, 0x206F),
    (0x20AC, 0x20AC),
    (0x2100, 0x22FF),
    (0x2460, 0x24FF),
    (0x2500, 0x257F),
    (0x25A0, 0x25FF),
    (0x3000, 0x303F),
    (0x3100, 0x312F),
    (0x31A0, 0x31BF),
    (0x3200, 0x33FF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
)

# Han ideographs, CJK punctuation, Bopomofo, compatibility and fullwidth forms.
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")

# What a document prints most, whose glyphs come first in the built font (see
# glyph_priority): Latin, general, CJK and fullwidth punctuation.
FIRST_RANGES = ((0x0020, 0x017F), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF))
# Big5's symbols and its level 1, the 5,401 frequent characters (A140–C67E); level 2 (the
# 7,652 rarer ones) comes after them.
BIG5_FREQUENT_END = (0xC6, 0x7E)


def font_dir() -> Path:
    return Path(settings.PDF_FONT_DIR)


def font_path(face: Face) -> Path:
    return font_dir() / face.filename


def big5_characters(*, frequent_only: bool = False) -> list[str]:
    """Every character of CP950 (Big5 as Taiwan's systems encode it), in code order.

    ``frequent_only``: its symbols and level 1 only (up to :data:`BIG5_FREQUENT_END`).
    """
    found = []
    for lead in range(0x81, 0xFF):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if frequent_only and (lead, trail) > BIG5_FREQUENT_END:
                return found
            try:
                found.append(bytes((lead, trail)).decode("cp950"))
            except UnicodeDecodeError:
                continue
    return found


def document_sources() -> list[Path]:
    """The files a PDF's fixed text comes from: document templates, stylesheets, catalogue.

    Every template that lays out a PDF (they link ``report.css``) and the partials beside
    them (``pdf/`` and ``documents/`` directories),
    the ordinance's article texts (``compliance/articles.py``), the PDF modules' own strings
    and the zh-Hant catalogue: whatever a document prints that is not a user's data.
    """
    base = Path(settings.BASE_DIR)
    sources = {base / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"}
    for template in base.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        if "report.css" in text or {"pdf", "documents"} & set(template.parts):
            sources.add(template)
    for module in ("compliance/articles.py", "portal/pdf/formats.py"):
        sources.add(base / module)
    return sorted(path for path in sources if path.is_file())


def document_characters(paths: Iterable[Path] | None = None) -> set[str]:
    """The CJK characters of the project's documents (:func:`document_sources`)."""
    found = set()
    for path in paths if paths is not None else document_sources():
        found.update(CJK.findall(path.read_text(encoding="utf-8")))
    return found


def wanted_codepoints() -> set[int]:
    codepoints = {ord(char) for char in {*big5_characters(), *document_characters()}}
    for start, end in KEPT_RANGES:
        codepoints.update(range(start, end + 1))
    return codepoints


def _face_index(collection, family: str) -> int:
    for index, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == family:
            return index
    raise LookupError(f"No face {family!r} in the collection.")


def build(face: Face, source_dir: Path = SYSTEM_FONT_DIR, target_dir: Path | None = None) -> Path:
    """Write ``face``'s Traditional Chinese subset and return its path (slow: ~half a minute)."""
    import logging

    from fontTools.subset import Options, Subsetter
    from fontTools.ttLib import TTCollection

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it lists every glyph at INFO

    target = (target_dir or font_dir()) / face.filename
    collection = TTCollection(str(source_dir / face.source), lazy=True)
    font = collection.fonts[_face_index(collection, SOURCE_FAMILY)]
    options = Options()
    # fontTools' default features (kerning, vertical forms, proportional and half-width
    # punctuation, the locale's forms): "*" would keep the Japanese and historical
    # alternates too, twice the glyphs for nothing a Taiwanese document shows.
    options.name_IDs = ["*"]  # copyright, licence and its URL stay in the file
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=wanted_codepoints())
    subsetter.subset(font)
    put_first(font, glyph_priority(font.getBestCmap()))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    font.save(str(partial))
    partial.replace(target)
    return target


def glyph_priority(cmap: dict[int, str]) -> list[str]:
    """The glyphs to number first, in order: punctuation and Latin, the documents' own
    characters, then Big5's frequent characters.

    WeasyPrint subsets a font keeping glyph numbers (the glyphs a document does not use
    become empty), so a subset is as long as the highest glyph number used: in the
    collection's order, where the characters of a report reach glyph 29,700 of 30,000, each
    render subset and compressed two 400 KiB fonts. With these first, a report's glyphs
    stay within the first 6,000 or so (names and addresses in Big5's level 1): subsets a
    third as long or less, made in a third of the time, a PDF less than half the size.
    """
    codepoints = [code for start, end in FIRST_RANGES for code in range(start, end + 1)]
    codepoints += sorted(ord(char) for char in document_characters())
    codepoints += [ord(char) for char in big5_characters(frequent_only=True)]
    return list(dict.fromkeys(cmap[code] for code in codepoints if code in cmap))


def put_first(font, glyphs: list[str]) -> None:
    """Renumber the glyphs of ``font`` (a CID-keyed CFF OpenType font) with ``glyphs`` first.

    fontTools reorders the tables that refer to glyphs but not a CID font's FDSelect (which
    private dictionary, hence which local subroutines, each glyph uses): the charstrings
    are taken out of their index with their own, and FDSelect follows the new order.
    """
    from fontTools.ttLib.reorderGlyphs import reorderGlyphs

    font.ensureDecompiled()
    old_order = font.getGlyphOrder()
    wanted = set(glyphs)
    new_order = [old_order[0], *(name for name in glyphs if name != old_order[0])]
    new_order += [name for name in old_order[1:] if name not in wanted]
    top = font["CFF "].cff.topDictIndex[0]
    charstrings = {name: top.CharStrings[name] for name in old_order}
    selector = dict(zip(old_order, top.FDSelect.gidArray, strict=True))
    reorderGlyphs(font, new_order)
    for name, index in selector.items():
        charstrings[name].fdSelectIndex = index
    top.CharStrings.charStrings = {name: charstrings[name] for name in new_order}
    top.CharStrings.charStringsAreIndexed = False
    top.FDSelect.gidArray = [selector[name] for name in new_order]


def glyphs_in_order(path: Path) -> bool:
    """Whether the documents' characters have glyph numbers within :func:`glyph_priority`'s."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap()
        numbers = font.getReverseGlyphMap()
        first = len(glyph_priority(cmap))
        return all(
            numbers[cmap[ord(char)]] <= first for char in document_characters() if ord(char) in cmap
        )


def missing_characters(path: Path, characters: Iterable[str]) -> set[str]:
    """The characters of ``characters`` the font file at ``path`` has no glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap()
    return {char for char in characters if ord(char) not in cmap}


def available_faces() -> list[Face]:
    return [face for face in FACES if font_path(face).is_file()]


def font_url(face: Face) -> str:
    return f"{FONT_SCHEME}:{face.filename}"


def font_file(url: str) -> Path | None:
    """Return the built font a ``pdf-font:`` URL names, or None (only the known files)."""
    name = url.partition(":")[2]
    for face in FACES:
        if name == face.filename and font_path(face).is_file():
            return font_path(face)
    return None


def font_face_css() -> str:
    """The ``@font-face`` rules of the built faces ("" when none is built: system fonts)."""
    return "\n".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {face.weight}; '
        f'src: url("{font_url(face)}"); }}'
        for face in available_faces()
    )
