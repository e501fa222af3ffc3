"""The report renderer: a dict becomes a Chinese PDF with embedded fonts, and nothing remote."""

from __future__ import annotations

import ctypes.util
import io
import logging
import re
import socket
import subprocess

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from inspections.reports.gather import canonical_json, verification_hash
from inspections.reports.render import (
    PHOTO_MAX_PX,
    harfbuzz_subsetting,
    html_document,
    render_document,
    render_report,
)
from inspections.reports.sample import (
    SAMPLE_DEADLINE,
    SAMPLE_DOCUMENT_NUMBER,
    SAMPLE_PREMISES_NAME,
    sample_report_data,
)
from portal.pdf.fetch import RefusedURL, RestrictedFetcher, photo_url
from portal.pdf.formats import roc_date
from tests.inspections.report_builders import png_bytes

SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


def pdf_text(pdf: bytes, tmp_path) -> str:
    """Return the PDF's text as poppler's pdftotext lays it out."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(pdf: bytes, tmp_path) -> list[dict[str, str]]:
    """Return pdffonts' rows: each font's name and whether it is embedded and subset."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    rows = []
    for line in lines:
        # name type… encoding emb sub uni object ID: read the flags from the right.
        parts = line.split()
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4]})
    return rows


@pytest.fixture(scope="module")
def chinese_pdf() -> bytes:
    return render_report(sample_report_data())


def test_a_chinese_report_reads_back_with_name_articles_deadline_and_number(chinese_pdf, tmp_path):
    text = pdf_text(chinese_pdf, tmp_path)

    assert SAMPLE_PREMISES_NAME in text
    assert "第5條第5款" in text  # the article, cited as the Chinese text cites it
    assert "攝氏二十六度" in text  # the article's own wording
    assert roc_date(SAMPLE_DEADLINE) in text  # 中華民國115年12月4日
    assert SAMPLE_DEADLINE.isoformat() not in text
    assert SAMPLE_DOCUMENT_NUMBER in text
    assert "25.30" in text and "26" in text


def test_the_printed_verification_hash_is_the_hash_of_the_report_data(chinese_pdf, tmp_path):
    data = sample_report_data()
    text = re.sub(r"\s+", "", pdf_text(chinese_pdf, tmp_path))

    assert data["verification_hash"] == verification_hash(data)
    assert data["verification_hash"] in text


def test_every_font_is_embedded_as_a_subset(chinese_pdf, tmp_path):
    fonts = pdf_fonts(chinese_pdf, tmp_path)

    assert fonts, "the report uses no font"
    assert all(font["emb"] == "yes" for font in fonts), fonts
    assert all(font["sub"] == "yes" for font in fonts), fonts
    assert any("Noto-Sans-CJK-TC" in font["name"] for font in fonts), fonts


def test_a_two_page_chinese_report_is_subset_by_harfbuzz_not_the_slow_path(tmp_path, caplog):
    """Without libharfbuzz-subset WeasyPrint falls back to fontTools (12 s instead of 0.6 s)."""
    assert ctypes.util.find_library("harfbuzz-subset"), "install Debian's libharfbuzz-subset0"
    assert harfbuzz_subsetting()

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        document = render_document(sample_report_data(extra_rows=20))
        pdf = document.write_pdf()

    assert len(document.pages) >= 2
    assert not [r for r in caplog.records if "fontTools" in r.getMessage()]
    reader = PdfReader(io.BytesIO(pdf))
    names = {
        str(font["/BaseFont"]).lstrip("/")
        for page in reader.pages
        for font in (page["/Resources"]["/Font"].get_object().values())
        for font in [font.get_object()]
    }
    assert names and all(SUBSET_PREFIX.match(name) for name in names), names


def test_the_english_report_speaks_english(tmp_path):
    text = pdf_text(render_report(sample_report_data(language="en")), tmp_path)

    assert "Inspection report" in text
    assert "Art. 5-5" in text
    assert "Document number" in text
    assert SAMPLE_PREMISES_NAME in text  # names stay as registered


@pytest.fixture
def no_network(monkeypatch):
    """Record (and refuse) every attempt to resolve a host or open a connection."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_a_remote_image_or_a_file_outside_static_is_refused_without_network_access(
    no_network, tmp_path
):
    html = """<html><head>
      <link rel="stylesheet" href="https://example.com/x.css">
      <link rel="stylesheet" href="/static/css/report.css">
      </head><body><p>報告 report</p>
      <img src="http://example.com/x.png">
      <img src="file:///etc/passwd">
      <img src="/static/../../etc/passwd">
      </body></html>"""
    fetcher = RestrictedFetcher()

    pdf = html_document(html, fetcher).write_pdf()

    assert pdf.startswith(b"%PDF")
    assert "report" in pdf_text(pdf, tmp_path)
    assert no_network == []
    assert "http://example.com/x.png" in fetcher.refused
    assert "https://example.com/x.css" in fetcher.refused
    assert "file:///etc/passwd" in fetcher.refused
    assert fetcher.served == ["file:///static/css/report.css"]


def test_the_fetcher_serves_only_static_files_photos_and_data():
    fetcher = RestrictedFetcher(photos={"abc": (b"jpeg bytes", "image/jpeg")})

    css = fetcher.fetch("file:///static/css/report.css")
    assert b"Noto Sans CJK TC" in css.read()
    assert css.content_type == "text/css"
    assert fetcher.fetch(photo_url("abc")).read() == b"jpeg bytes"
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for url in (
        "file:///etc/hostname",
        "file:///static/../etc/hostname",
        "file://example.com/static/css/report.css",
        "http://127.0.0.1/static/css/report.css",
        "ftp://example.com/x",
        photo_url("not-passed-in"),
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_photos_are_embedded_scaled_down(tmp_path):
    data = sample_report_data()
    big = png_bytes(3200, 2400)
    data["photos"] = [
        {
            "point": "賣場",
            "caption": "冷氣出風口",
            "article": "第5條第5款",
            "sha256": "f" * 64,
            "content_type": "image/png",
            "width": 3200,
            "height": 2400,
            "data": big,
        }
    ]

    pdf = render_report(data)

    # WeasyPrint lists a page's images in every page's resources: count distinct ones.
    images = {
        image.data: image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images
    }
    assert len(images) == 1
    (image,) = images.values()
    assert max(image.image.size) == PHOTO_MAX_PX
    assert "冷氣出風口" in pdf_text(pdf, tmp_path)


def test_the_verification_hash_covers_the_content_but_not_the_photo_bytes():
    data = sample_report_data()
    photo = {"sha256": "a" * 64, "caption": "", "data": b"PHOTO-BYTES-1"}
    with_photo = {**data, "photos": [photo]}
    other_bytes = {**data, "photos": [{**photo, "data": b"PHOTO-BYTES-2"}]}
    other_deadline = {**data, "violations": [{**data["violations"][0], "deadline": "2027-01-01"}]}

    assert b"PHOTO-BYTES" not in canonical_json(with_photo)
    assert verification_hash(with_photo) == verification_hash(other_bytes)
    assert verification_hash(with_photo) != verification_hash(data)
    assert verification_hash(other_deadline) != verification_hash(data)


def test_the_benchmark_command_prints_its_figures():
    output = io.StringIO()

    call_command("benchmark_report", pages=1, repeat=1, stdout=output)

    assert "pages: " in output.getvalue()
    assert "HarfBuzz subsetting: yes" in output.getvalue()
