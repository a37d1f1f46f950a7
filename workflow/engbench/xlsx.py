"""Write an openpyxl workbook byte for byte the same on every run.

openpyxl stamps the workbook's properties with the time of saving and each
part of the zip file with the local time; both are fixed here (2000-01-01), so
a rerun or a resumed run writes identical bytes.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

FIXED_TIME = dt.datetime(2000, 1, 1)


class _FixedTimeZip(zipfile.ZipFile):
    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if not isinstance(name, zipfile.ZipInfo):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            name = info
        super().writestr(name, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        """openpyxl writes each worksheet to a temporary file first: take its bytes only."""
        self.writestr(arcname or Path(filename).name, Path(filename).read_bytes(), compress_type)


def save(book: Workbook, path: str | Path) -> None:
    """Save ``book`` to ``path`` with fixed creation and modification times."""
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    book.properties.creator = "engbench"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with _FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).write_data()
