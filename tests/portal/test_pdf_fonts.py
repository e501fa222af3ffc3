"""The PDFs' own Traditional Chinese font: it covers the documents, it is the one embedded,
and without it the documents still print in the system's Noto Sans CJK TC."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.core.management import CommandError, call_command

from inspections.reports.render import render_report
from inspections.reports.sample import SAMPLE_PREMISES_NAME, sample_report_data
from portal.pdf import fonts
from portal.pdf.fetch import RefusedURL, RestrictedFetcher

BUILD_HINT = "run `manage.py build_pdf_fonts` (scripts/test and .ci/run do)"


def pdf_font_names(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    return [line.split()[0].partition("+")[2] for line in lines]


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_documents_characters_come_from_every_document_template_and_the_catalogue():
    names = {path.name for path in fonts.document_sources()}

    for template in (
        "report.html",
        "decision.html",
        "notice.html",
        "_violation.html",
        "award_certificate.html",
        "approval_letter.html",
        "_verify_online.html",
        "django.po",
        "articles.py",  # the ordinance's article texts
    ):
        assert template in names
    characters = fonts.document_characters()
    assert {"臺", "北", "市", "罰", "鍰", "檢", "查", "報", "告", "攝", "氏"} <= characters
    assert not {"a", "1", " "} & characters


@pytest.mark.parametrize("face", fonts.FACES, ids=lambda face: face.filename)
def test_the_built_font_has_a_glyph_for_every_character_of_the_documents(face):
    path = fonts.font_path(face)
    assert path.is_file(), f"{path} is missing: {BUILD_HINT}"

    missing = fonts.missing_characters(path, fonts.document_characters())

    assert not missing, f"{path.name} lacks {''.join(sorted(missing))}: {BUILD_HINT} --force"
    # And what Taiwanese data is written in: all of Big5 (CP950) but the two code points
    # Noto Sans CJK itself has no glyph for (U+02CD modifier low macron, U+2252 ≒).
    assert fonts.missing_characters(path, fonts.big5_characters()) <= {"\u02cd", "\u2252"}
    assert not fonts.missing_characters(path, {"鑫", "淼", "琍", "ㄅ", "ㄩ", "，", "（", "％", "€"})
    assert path.stat().st_size < 12 * 2**20  # the collection it comes from: 19–20 MB


@pytest.mark.parametrize("face", fonts.FACES, ids=lambda face: face.filename)
def test_the_built_font_numbers_the_documents_glyphs_first_and_draws_them_as_noto(face):
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.ttLib import TTCollection, TTFont

    path = fonts.font_path(face)
    assert fonts.glyphs_in_order(path), f"{path.name}: {BUILD_HINT}"
    built = TTFont(str(path), lazy=True)
    collection = TTCollection(str(fonts.SYSTEM_FONT_DIR / face.source), lazy=True)
    source = next(font for font in collection if font["name"].getDebugName(1) == "Noto Sans CJK TC")
    # Renumbered, every glyph keeps its own outline (a CID font's glyphs use one of several
    # sets of subroutines): Latin, punctuation, document and rare characters alike.
    for char in "A9，（臺罰鍰檢攝氏龜鑫淼":
        drawings = []
        for font in (built, source):
            pen = RecordingPen()
            font.getGlyphSet()[font.getBestCmap()[ord(char)]].draw(pen)
            drawings.append(pen.value)
        assert drawings[0] == drawings[1] and drawings[0], char
    assert built.getGlyphID(built.getBestCmap()[ord("臺")]) < 6000  # in Noto's order: 18,884


def test_a_report_embeds_small_subsets_of_the_built_font():
    for face in fonts.FACES:
        assert fonts.glyphs_in_order(fonts.font_path(face)), BUILD_HINT

    pdf = render_report(sample_report_data())

    # WeasyPrint's subsets are as long as the highest glyph number a report uses: two fonts
    # of about 400 KiB (a 218 KB PDF) when the report's glyphs were spread over the font.
    assert len(pdf) < 150_000


def test_a_report_embeds_the_built_font_and_reads_back_in_chinese(tmp_path):
    for face in fonts.FACES:
        assert fonts.font_path(face).is_file(), BUILD_HINT

    pdf = render_report(sample_report_data())

    names = pdf_font_names(pdf, tmp_path)
    assert "Noto-Sans-CJK-TC-Big5" in names and "Noto-Sans-CJK-TC-Big5-Bold" in names
    # Nothing from the 19 MB collections: every CJK font embedded is the Big5 cut.
    assert all("Big5" in name for name in names if "CJK" in name), names
    text = pdf_text(pdf, tmp_path)
    assert SAMPLE_PREMISES_NAME in text and "攝氏二十六度" in text


def test_without_the_built_font_a_report_prints_in_the_system_font(tmp_path, settings):
    settings.PDF_FONT_DIR = tmp_path / "no-fonts"

    pdf = render_report(sample_report_data())

    names = pdf_font_names(pdf, tmp_path)
    assert "Noto-Sans-CJK-TC" in names and not [name for name in names if "Big5" in name]
    assert SAMPLE_PREMISES_NAME in pdf_text(pdf, tmp_path)


def test_the_fetcher_serves_the_built_fonts_and_no_other_file(tmp_path, settings):
    settings.PDF_FONT_DIR = tmp_path
    face = fonts.FACES[0]
    (tmp_path / face.filename).write_bytes(b"OTTO font bytes")
    (tmp_path / "other.otf").write_bytes(b"OTTO other")
    fetcher = RestrictedFetcher()

    assert fetcher.fetch(fonts.font_url(face)).read() == b"OTTO font bytes"
    for url in ("pdf-font:other.otf", "pdf-font:../../etc/hostname", "pdf-font:"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert fonts.font_face_css().count("@font-face") == 1


def test_the_pdf_benchmark_prints_percentiles_memory_and_ratios_for_both():
    output = io.StringIO()

    call_command("benchmark_pdf", renders=2, rounds=1, pages=1, stdout=output)

    lines = output.getvalue().splitlines()
    figures = r"p50 [\d.]+ s, p95 [\d.]+ s, first [\d.]+ s, peak RSS \d+ MiB"
    assert re.match(r"1 processes × 2 renders each, alternately, in \d+ s; font: ", lines[0])
    assert re.fullmatch(rf"inspection report \(\d+ pages?\): {figures}", lines[1])
    assert re.fullmatch(rf"bare WeasyPrint CJK page \(1 page\): {figures}", lines[2])
    assert re.fullmatch(r"ratio report/bare: p50 [\d.]+, p95 [\d.]+, RSS [\d.]+", lines[3])
    assert re.fullmatch(
        r"target p50 ≤ 0\.5 s, p95 ≤ 0\.8 s, RSS ≤ 300 MiB: (met|NOT met)", lines[4]
    )


def test_building_keeps_fonts_that_cover_the_documents_and_names_a_missing_source(
    tmp_path, settings
):
    output = io.StringIO()
    call_command("build_pdf_fonts", stdout=output)
    assert output.getvalue().count("covers the documents, kept") == len(fonts.FACES)

    settings.PDF_FONT_DIR = tmp_path / "fonts"
    with pytest.raises(CommandError, match="install Debian's fonts-noto-cjk"):
        call_command("build_pdf_fonts", source_dir=str(tmp_path / "nowhere"), stdout=output)
    assert not (tmp_path / "fonts").exists()
