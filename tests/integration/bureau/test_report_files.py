"""The monthly analysis report as files to forward, opened as their readers would: DOCX
(python-docx), XLSX (openpyxl) and PDF (pypdf: its text and its embedded fonts)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from tests.factories import make_enterprise
from tests.factories.bureau import make_chain, make_figures

pytestmark = pytest.mark.django_db

QUERY = "scope=region:3702&period=month&month=2025-06"


def test_docx_has_the_reports_headings_and_tables(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    client, regions = client_and_regions
    make_chain(region=regions["laixi"])
    response = client.get(f"/zh-hans/bureau/report.docx?{QUERY}")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    doc = Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    with translation.override("zh-hans"):
        expected = [_(h) for h in ("Summary", "Headline indicators", "Trend",
                                   "Export destinations", "Domestic sales channels",
                                   "Chain status", "Alerts and support cases",
                                   "Policy delivery", "Notes on coverage")]  # fmt: skip
    assert [h for h in headings if h in expected] == expected
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.startswith("青岛市")
    assert "出口6.02亿元" in text  # the summary sentence, in 亿元
    assert len(doc.tables) >= 6
    head = doc.tables[0]
    assert "亿元" in head.rows[0].cells[1].text  # the unit in the header
    assert [c.text for c in head.rows[1].cells][1:3] == ["8.18", "+7.9%"]
    chains = next(t for t in doc.tables if t.rows[0].cells[0].text in ("Chain", "产业链"))
    assert chains.rows[1].cells[2].text == "3"  # three missing links


def test_docx_draws_the_trend_and_the_ranked_tables_as_charts(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    client, _regions = client_and_regions
    doc = Document(io.BytesIO(client.get(f"/zh-hans/bureau/report.docx?{QUERY}").content))
    # trend, export destinations, domestic channels: pictures in the text, each a real PNG
    blobs = [doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
             for shape in doc.inline_shapes]  # fmt: skip
    assert len(blobs) == 3
    for blob in blobs:
        picture = Image.open(io.BytesIO(blob))
        assert picture.format == "PNG" and picture.width > 1000  # 200 dpi, not a thumbnail
        colours = picture.convert("RGB").getcolors(maxcolors=1 << 20) or []
        assert (47, 111, 208) in {c for _n, c in colours}  # the series drawn in blue
    # each chart stands under its section's heading, before the table it draws
    body = [el.tag.rsplit("}", 1)[1] for el in doc.element.body]
    assert body.count("tbl") >= 6
    headings = [p.text for p in doc.paragraphs]
    with translation.override("zh-hans"):
        assert _("Export destinations") in headings


def test_xlsx_holds_numbers_a_sheet_per_table_and_sources(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    client, _regions = client_and_regions
    response = client.get(f"/en/bureau/report.xlsx?{QUERY}")
    wb = load_workbook(io.BytesIO(response.content))
    names = wb.sheetnames
    assert names[0] == "Summary" and names[-1] == "Sources"
    assert {"Headline indicators", "Sales by month", "Export destinations"} <= set(names)
    head = wb["Headline indicators"]
    assert head["B1"].value == "Amount (CN¥ million)"
    revenue = head["B2"]
    assert isinstance(revenue.value, (int, float)) and round(revenue.value, 2) == 817.97
    assert revenue.number_format == "#,##0.00"
    growth = head["C2"]
    assert round(growth.value, 3) == 0.079 and growth.number_format == "+0.0%;-0.0%;0.0%"
    dest = wb["Export destinations"]
    assert dest["A2"].value == "United States" and round(dest["B2"].value, 2) == 480.0
    sources = wb["Sources"]
    rows = [(r[0].value, r[1].value) for r in sources.iter_rows(min_row=2)]
    assert any(f == "Revenue" and "reported" in d for f, d in rows)
    every_cell = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row]
    assert not any("SELECT" in v for v in every_cell)


def test_pdf_embeds_its_font_and_has_a_table_and_a_chart(client_and_regions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client, _regions = client_and_regions
    response = client.get(f"/zh-hans/bureau/report.pdf?{QUERY}")
    assert response.content[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "8.18亿元" in text
    assert "美国" in text  # the destinations table
    fonts = []
    files = ("/FontFile", "/FontFile2", "/FontFile3")
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(k in descriptor.get_object() for k in files)
            fonts.append((font["/BaseFont"], embedded))
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert any("WenQuanYi" in str(name) for name, _e in fonts)
    if shutil.which("pdffonts"):  # poppler's own word on it, where installed
        path = tmp_path / "report.pdf"
        path.write_bytes(response.content)
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()[2:]  # fmt: skip
        assert listing and all(line.split()[-5] == "yes" for line in listing), listing
    assert sum(len(page.images) for page in reader.pages) == 2  # destinations, channels bars
    # The chart: a vector drawing with the trend's two lines and its legend.
    content = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert content.count(b" l\n") + content.count(b" l ") > 10  # line segments drawn
    with translation.override("zh-hans"):
        assert _("Same month last year") in text  # the chart's legend
        assert _("Unit") in text


def test_report_page_links_the_three_files(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    client, _regions = client_and_regions
    html = client.get(f"/en/bureau/report/?{QUERY}").content.decode()
    for suffix in ("docx", "pdf", "xlsx"):
        assert f"/en/bureau/report.{suffix}?scope=region%3A3702&amp;period=month" in html


def test_notes_on_coverage_give_the_months_reporting(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    client, _regions = client_and_regions
    doc = Document(io.BytesIO(client.get(f"/en/bureau/report.docx?{QUERY}").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    # the three enterprises joined after June 2025's due day but reported (today: late)
    assert ("Monthly reporting for Jun 2025 (due Jul 15, 2025): 3 of the 3 enterprises "
            "expected to report have reported (100.0%); 3 after the due day, 0 returned for "
            "correction, 0 not reported.") in text  # fmt: skip


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Exports to ASEAN: 37.5%"), ("zh-hans", "出口至东盟: 37.5%"),
     ("vi", "Xuất khẩu sang ASEAN: 37,5%")],
)  # fmt: skip
def test_report_page_shows_a_markets_share_of_exports_as_a_percentage(  # type: ignore[no-untyped-def]
    client_and_regions, language, expected
) -> None:
    client, regions = client_and_regions
    # 361,181,489 yuan to Viet Nam beside the 601,969,149 yuan to the US and Germany: 37.5%
    vietnam = make_enterprise(region=regions["jiaozhou"], name_zh="青岛越南厂")
    make_figures(enterprise=vietnam, month="2025-06", revenue=361_181_489,
                 output_value=361_181_489, exports={"VN": 361_181_489})  # fmt: skip
    html = client.get(f"/{language}/bureau/report/?{QUERY}").content.decode()
    where = re.search(r'<summary data-key="market_asean">([^<]*)</summary>', html)
    assert where is not None
    assert where.group(1) == expected
