"""Hostile import files against the bounded spreadsheet reader (issue 12), beside baselines.

    python bench/hostile_files.py

- An XLSX that declares its dimension as ``A1:XFD1048576`` and records an empty formatted last
  row (as Excel does for a sheet formatted to its end): the bounded reader's time, beside the
  unbounded read it replaced (openpyxl's rows padded to the declared dimension), measured on
  its first rows and extrapolated to the sheet's 1,048,576 rows.
- A 50 MB CSV: the time to refuse it by size, beside the time merely to read and decode it
  (the old reader then parsed every row).
- A valid 50,000-row CSV: the bounded reader's time (with its per-cell checks), beside Python's
  csv module parsing the same text (a lower bound).

Runs without a database (the reader touches none).
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualcirc.settings")
os.environ.setdefault("DUALCIRC_DATA_DIR", tempfile.mkdtemp(prefix="dualcirc-bench-"))

import django  # noqa: E402  # after the settings module is chosen

django.setup()
from django.utils import translation  # noqa: E402

translation.activate("en")

from openpyxl import Workbook, load_workbook  # noqa: E402

from dualcirc.catalog.import_format import read_table  # noqa: E402
from dualcirc.core.errors import InvalidInput  # noqa: E402

HEADER = ["sku", "title_zh", "title_en", "hs_code", "moq", "unit", "price_min", "price_max",
          "currency", "lead_time_days"]  # fmt: skip
ROW = ["S1", "实木橡木餐桌", "Oak table", "940360", "50", "pcs", "120", "150", "USD", "30"]
SAMPLE_ROWS = 2000


def inflated_xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(ROW)
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>',
                              data.decode())  # fmt: skip
                text = text.replace("</sheetData>", '<row r="1048576" s="1" customFormat="1">'
                                    '<c r="XFD1048576" s="1"/></row></sheetData>')  # fmt: skip
                data = text.encode()
            dst.writestr(info, data)
    path.write_bytes(out.getvalue())
    return path


def timed(action: object) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()  # type: ignore[operator]
    return time.perf_counter() - started, result


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="dualcirc-hostile-"))
    print(f"{'case':<44} {'dualcirc':>12} {'baseline':>14}  baseline is")

    xlsx = inflated_xlsx(work / "inflated.xlsx")
    bounded, table = timed(lambda: read_table(xlsx))

    def old_reader_sample() -> int:
        book = load_workbook(xlsx, read_only=True, data_only=True)
        n = 0
        for values in book.worksheets[0].iter_rows(values_only=True):
            [("" if v is None else str(v)) for v in values]
            n += 1
            if n == SAMPLE_ROWS:
                break
        return n

    sample, _n = timed(old_reader_sample)
    projected = sample / SAMPLE_ROWS * 1_048_576
    print(f"{f'inflated XLSX ({xlsx.stat().st_size} B), read':<44} {bounded:>10.3f} s "
          f"{projected / 60:>10.1f} min  unbounded reader, extrapolated")  # fmt: skip
    assert len(table.rows) == 1  # type: ignore[attr-defined]

    big = work / "big.csv"
    line = (",".join(["x"] * len(HEADER)) + "\n").encode()
    big.write_bytes(",".join(HEADER).encode() + b"\n" + line * (50 * 1024 * 1024 // len(line)))

    def refuse() -> str:
        try:
            read_table(big)
        except InvalidInput as exc:
            return str(exc)
        raise AssertionError("not refused")

    refused, message = timed(refuse)
    read_only, _text = timed(lambda: big.read_bytes().decode("utf-8"))
    print(
        f"{'50 MB CSV, refused by size':<44} {refused:>10.4f} s {read_only:>12.3f} s  "
        f"reading and decoding it only"
    )
    assert "more than" in str(message)

    valid = work / "valid.csv"
    with valid.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for n in range(50_000):
            writer.writerow([f"S{n}", *ROW[1:]])
    ours, table = timed(lambda: read_table(valid))
    plain, _rows = timed(lambda: list(csv.reader(io.StringIO(valid.read_text("utf-8")))))
    print(f"{'valid 50,000-row CSV, read':<44} {ours:>10.3f} s {plain:>12.3f} s  csv module alone")
    assert len(table.rows) == 50_000  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
