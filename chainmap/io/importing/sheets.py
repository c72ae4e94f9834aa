"""Read sheets: a file's bytes → the sheet to import, as rows of text cells, with its layout facts.

xlsx and xlsm sheets are streamed from their XML by :mod:`.xlsx_stream` (bounded
memory; formulas and hidden rows noted on the way; merged ranges from the
sheet's end). Old binary workbooks (xls, WPS et), and an xlsx that reader
cannot open, are read with python-calamine, which reads every cell where it
is and ignores the sheet's dimension record (a wrong ``<dimension
ref="A1:V1">`` made openpyxl's streaming reader stop at the first row), and
gives merged ranges and sheet visibility; for an xlsx read this way formulas
and hidden rows come from one streaming pass over the sheet's XML
(:func:`_xlsx_marks`).

Text files (csv, tsv, txt) are decoded as UTF-8 (with or without BOM) or
GB18030, and their delimiter (``,`` ``;`` tab ``|``) is sniffed from the first
lines.

Rows come out lazily (an iterator), so a sheet of a million rows is never
held twice in Python.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import InputError, Problem
from ..tables import decode_bytes
from .cells import Formula, cell_text, formula_like
from .headers import header_at, is_cover_sheet
from .xlsx_stream import open_book

__all__ = ["Sheet", "read_sheet", "sniff_delimiter", "DELIMITERS"]

#: Delimiters a text table may use, in order of preference on a tie.
DELIMITERS = (",", ";", "\t", "|")
_HEAD = 10  # rows read of every sheet to choose one
#: An xlsx whose largest worksheet XML is bigger than this is streamed (:mod:`.xlsx_stream`, bounded memory); a
#: smaller one is read by calamine, eight times faster (100,000 rows: 0.6 s against 5.3 s of CPU), which holds the
#: sheet whole (about 0.9 byte per byte of XML: ≤ 120 MB here).
STREAM_ABOVE = 128 * 1024 * 1024


@dataclass
class Sheet:
    """One sheet to import and what the report states about how it was read.

    Attributes
    ----------
    name : str
        The sheet's name ("" for a text file).
    encoding : str
        ``UTF-8``, ``UTF-8-BOM`` or ``GB18030`` for text; ``xlsx``, ``xlsm``,
        ``xls`` or ``et`` for a workbook.
    head : list of list of str
        The first rows (header search).
    rest : iterator of list of str
        The rows after ``head``, read lazily.
    delimiter : str
        The sniffed delimiter of a text file.
    formulas : dict of int → dict of int → str
        Formula cells of an xlsx sheet: row → column → formula (0-based).
    hidden_rows : set of int
        Hidden rows (0-based).
    merges : list of (r0, c0, r1, c1)
        Merged ranges, 0-based and inclusive.
    skipped : list of (str, str)
        Other sheets and why they were not used: ``hidden``, ``cover``,
        ``fewer_headers``, ``empty``.
    hidden : bool
        The sheet used is itself hidden (only when no visible sheet fits).
    """

    name: str
    encoding: str
    head: list[list[str]]
    rest: Iterator[list[str]]
    delimiter: str = ""
    formulas: dict[int, dict[int, str]] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    hidden: bool = False

    def rows(self) -> Iterator[list[str]]:
        """Every row, head first; formula cells as :class:`~chainmap.io.importing.cells.Formula`."""
        n = 0
        for r in self.head:
            yield self._mark(n, r)
            n += 1
        for r in self.rest:
            yield self._mark(n, r)
            n += 1

    def _mark(self, n: int, row: list[str]) -> list[str]:
        marks = self.formulas.get(n) if self.formulas else None
        if not marks:
            return row
        row = row + [""] * (max(marks) + 1 - len(row))
        for j, f in marks.items():
            row[j] = Formula(f)
        return row


def _unreadable(file: str, e: Exception) -> InputError:
    return InputError([Problem(file, "not_a_workbook", {"error": f"{type(e).__name__}: {str(e)[:80]}"})])


def read_sheet(data: bytes, file: str, hmap: dict[str, str], *, hidden: str = "keep") -> Sheet:
    """The sheet of ``data`` to import: the visible, non-cover sheet whose header holds most headers of ``hmap``.

    Parameters
    ----------
    data : bytes
        xlsx/xlsm/xls/et workbook (by content) or text.
    hidden : {"keep", "skip"}
        Hidden sheets are never chosen while a visible one fits; ``skip``
        never chooses one at all.

    Examples
    --------
    >>> s = read_sheet("企业名称;营业收入\\n建滔集团;56000\\n".encode("gbk"), "a.csv", {"企业名称": "name_zh"})
    >>> s.encoding, s.delimiter, list(s.rows())
    ('GB18030', ';', [['企业名称', '营业收入'], ['建滔集团', '56000']])
    """
    if data[:4] == b"PK\x03\x04" or data[:4] == b"\xd0\xcf\x11\xe0":
        return _workbook(data, file, hmap, hidden)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError([Problem(file, "utf16")])
    if b"\x00" in data:
        raise InputError([Problem(file, "binary_content", {"offset": data.index(0)})])
    return _text(data, file)


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the first lines into the most, equally long, rows.

    Examples
    --------
    >>> sniff_delimiter(["企业名称;营业收入（万元）", "建滔, 集团;1,200"])
    ';'
    >>> sniff_delimiter(["名称\\t城市", "a\\tb"]), sniff_delimiter(["名称"])
    ('\\t', ',')
    """
    best, score = ",", (0, 0)
    for d in DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(lines, delimiter=d) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        s = (sum(1 for w in widths if w == common and w > 1), common)
        if s > score:
            best, score = d, s
    return best


def _text(data: bytes, file: str) -> Sheet:
    text, encoding = decode_bytes(data, file)
    label = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8-BOM", "gb18030": "GB18030"}[encoding]
    lines = []
    for line in io.StringIO(text, newline=""):
        lines.append(line)
        if len(lines) >= 30:
            break
    delim = sniff_delimiter(lines)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)

    def rows() -> Iterator[list[str]]:
        try:
            for r in reader:
                yield [_csv_cell(c) for c in r]
        except csv.Error as e:
            raise InputError([Problem(file, "broken_csv", {"error": str(e)}, row=reader.line_num)]) from None

    it = rows()
    head = [r for _, r in zip(range(_HEAD), it)]
    return Sheet("", label, head, it, delimiter=delim)


def _csv_cell(text: str) -> str:
    t = text.strip()
    # An apostrophe guards text that starts like a formula (our exports write them so): it stays when the rest
    # would run as a formula (never raw), and goes when the rest is harmless ('-1, '0001, '-).
    if t.startswith("'") and len(t) > 1 and t[1] in "=+-@" and not formula_like(t[1:]):
        return t[1:]
    return t


def _workbook(data: bytes, file: str, hmap: dict[str, str], hidden: str) -> Sheet:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    kind = "xls"
    if data[:4] == b"PK\x03\x04":
        kind = "xlsx"
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                ct = z.read("[Content_Types].xml") if "[Content_Types].xml" in z.namelist() else b""
            if b"macroEnabled" in ct:
                kind = "xlsm"
        except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, NotImplementedError) as e:
            raise _unreadable(file, e) from None
    elif file.lower().endswith(".et"):
        kind = "et"
    if kind in ("xlsx", "xlsm"):
        try:
            book = open_book(data)
        except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            book = None  # not laid out as Excel and WPS write it: calamine reads what it can
        if book is not None and _largest_sheet(book) > STREAM_ABOVE:
            return _streamed(book, kind, file, hmap, hidden)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = list(wb.sheets_metadata)
    except BaseException as e:  # calamine raises its own errors and panics on damaged files; all mean "unreadable"
        if isinstance(e, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        raise _unreadable(file, e) from None
    candidates, skipped = [], []
    for i, m in enumerate(metas):
        is_hidden = m.visible != SheetVisibleEnum.Visible
        if "WorkSheet" not in str(m.typ):
            skipped.append((m.name, "not_a_worksheet"))
        elif is_cover_sheet(m.name):
            skipped.append((m.name, "cover"))
        elif is_hidden and hidden == "skip":
            skipped.append((m.name, "hidden"))
        else:
            candidates.append((i, m.name, is_hidden))
    if not candidates:  # only cover sheets, hidden ones skipped, charts: nothing to read
        return Sheet("", kind, [], iter(()), skipped=skipped)
    try:
        scored, kept = [], None  # only the best sheet so far stays loaded (calamine loads a sheet whole)
        for i, name, is_hidden in candidates:
            sheet = wb.get_sheet_by_index(i)
            head = _calamine_rows(sheet, _HEAD)
            n = header_at(head, hmap)[1] if head else -1
            score = (n, not is_hidden, -i, i, name, is_hidden)
            scored.append(score)
            if kept is None or score > kept[0]:
                kept = (score, sheet)
            del sheet
        best, sheet = kept
        del kept
        _, _, _, i, name, is_hidden = best
        for n, _, _, _, other, oh in scored:
            if other != name:
                skipped.append((other, "hidden" if oh else "empty" if n < 0 else "fewer_headers"))
        rows = _calamine_iter(sheet)
        head = [r for _, r in zip(range(_HEAD), rows)]
        merges = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
    except InputError:
        raise
    except BaseException as e:  # see above
        if isinstance(e, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        raise _unreadable(file, e) from None
    formulas, hidden_rows = {}, set()
    if kind in ("xlsx", "xlsm"):
        formulas, hidden_rows = _xlsx_marks(data, i, file)
    else:
        hidden_rows = xls_hidden_rows(data, name)
    return Sheet(name, kind, head, _guard(rows, file), formulas=formulas, hidden_rows=hidden_rows, merges=merges,
                 skipped=skipped, hidden=is_hidden)


def _streamed(book, kind: str, file: str, hmap: dict[str, str], hidden: str) -> Sheet:
    """The sheet to import of an xlsx/xlsm workbook, its rows streamed from the XML (see :mod:`.xlsx_stream`)."""
    candidates, skipped = [], []
    for i, (name, part, is_hidden) in enumerate(book.sheets):
        if part is None:
            skipped.append((name, "not_a_worksheet"))
        elif is_cover_sheet(name):
            skipped.append((name, "cover"))
        elif is_hidden and hidden == "skip":
            skipped.append((name, "hidden"))
        else:
            candidates.append((i, name, part, is_hidden))
    if not candidates:
        return Sheet("", kind, [], iter(()), skipped=skipped)
    try:
        scored = []
        for i, name, part, is_hidden in candidates:
            it = book.rows(part, set())
            head = [r for _, r in zip(range(_HEAD), it)]
            it.close()
            n = header_at(head, hmap)[1] if head else -1
            scored.append((n, not is_hidden, -i, i, name, part, is_hidden))
        n, _, _, i, name, part, is_hidden = max(scored)
        for n2, _, _, _, other, _, oh in scored:
            if other != name:
                skipped.append((other, "hidden" if oh else "empty" if n2 < 0 else "fewer_headers"))
        hidden_rows: set[int] = set()
        merges = book.merges(part)
        rows = book.rows(part, hidden_rows)
        head = [r for _, r in zip(range(_HEAD), rows)]
    except InputError:
        raise
    except Exception as e:  # damaged XML or zip: unreadable
        raise _unreadable(file, e) from None
    return Sheet(name, kind, head, _guard(rows, file), hidden_rows=hidden_rows, merges=merges, skipped=skipped,
                 hidden=is_hidden)


def _largest_sheet(book) -> int:
    """The uncompressed size of the workbook's largest worksheet XML (from the zip directory: nothing is read)."""
    sizes = [book.z.getinfo(part).file_size for _, part, _ in book.sheets if part is not None]
    return max(sizes, default=0)


def _guard(rows: Iterator[list[str]], file: str) -> Iterator[list[str]]:
    try:
        yield from rows
    except BaseException as e:
        if isinstance(e, (KeyboardInterrupt, SystemExit, MemoryError, GeneratorExit, InputError)):
            raise
        raise _unreadable(file, e) from None


def xls_hidden_rows(data: bytes, sheet: str) -> set[int]:
    """Hidden rows (0-based) of sheet ``sheet`` of an old binary workbook (xls, WPS et).

    calamine does not expose row visibility; xlrd reads the ROW records' hidden flag (``formatting_info``). A file
    xlrd cannot read (some WPS et files) gives no hidden rows: its cells were read by calamine all the same.

    Examples
    --------
    >>> import io, xlwt
    >>> wb = xlwt.Workbook(encoding="utf-8"); ws = wb.add_sheet("企业")
    >>> for i, name in enumerate(["企业名称", "甲公司", "乙公司"]):
    ...     ws.write(i, 0, name)
    >>> ws.row(2).hidden = True
    >>> buf = io.BytesIO(); wb.save(buf)
    >>> xls_hidden_rows(buf.getvalue(), "企业")
    {2}
    """
    try:
        import xlrd
    except ImportError:  # the dependency is declared; without it hidden rows of .xls go unnoticed, as before
        return set()
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO())
        rows = book.sheet_by_name(sheet).rowinfo_map
        return {r for r, info in rows.items() if info.hidden}
    except Exception:  # noqa: BLE001 - xlrd raises many kinds on files calamine reads; hidden rows stay unknown
        return set()


def _calamine_rows(sheet, n: int) -> list[list[str]]:
    return [r for _, r in zip(range(n), _calamine_iter(sheet))]


def _calamine_iter(sheet) -> Iterator[list[str]]:
    """Rows from the sheet's first row (row 0 = Excel row 1), columns from column A."""
    try:
        c0 = sheet.start[1] if sheet.height else 0
    except (TypeError, IndexError):
        c0 = 0
    pad = [""] * c0
    for r in sheet.iter_rows():
        cells = [v.strip() if v.__class__ is str else cell_text(v) for v in r]  # text (most cells) as cell_text has it
        yield pad + cells if c0 else cells


# --------------------------------------------------------------------------------------------------------------
# xlsx sheet XML: formulas and hidden rows, streamed

_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_R = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_FCELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>\s*<(?:\w+:)?f\b([^>]*?)(/>|>([^<]*)</(?:\w+:)?f>)')
_CHUNK = 1 << 22


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _sheet_part(z: zipfile.ZipFile, index: int) -> str | None:
    """The zip member of the ``index``-th sheet, following workbook.xml and its relationships."""
    try:
        wbx = z.read("xl/workbook.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    ids = re.findall(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"', wbx) or \
        re.findall(rb'<(?:\w+:)?sheet\b[^>]*?\b\w+:id="([^"]+)"', wbx)
    if index >= len(ids):
        return None
    target = None
    for m in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)/?>", rels):
        attrs = m.group(1)
        rid = re.search(rb'\bId="([^"]+)"', attrs)
        tgt = re.search(rb'\bTarget="([^"]+)"', attrs)
        if rid and tgt and rid.group(1) == ids[index]:
            target = tgt.group(1).decode()
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _xlsx_marks(data: bytes, index: int, file: str) -> tuple[dict[int, dict[int, str]], set[int]]:
    """Formula cells (row → column → text) and hidden rows of one xlsx sheet, in one streaming pass over its XML."""
    formulas: dict[int, dict[int, str]] = {}
    hidden: set[int] = set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            part = _sheet_part(z, index)
            if part is None or part not in z.namelist():
                return formulas, hidden
            with z.open(part) as f:
                tail = b""
                while True:
                    chunk = f.read(_CHUNK)
                    buf = tail + chunk
                    # Whole rows only: what follows the last </row> waits for the next chunk.
                    cut = buf.rfind(b"</row>") + 6 if chunk else len(buf)
                    if cut < 6 and chunk:
                        tail = buf
                        continue
                    done, tail = buf[:cut], buf[cut:]
                    if b'hidden="' in done:
                        for m in _ROW.finditer(done):
                            if _HIDDEN.search(m.group(1)):
                                r = _ROW_R.search(m.group(1))
                                if r:
                                    hidden.add(int(r.group(1)) - 1)
                    if b"<f" in done or b":f" in done:
                        for m in _FCELL.finditer(done):
                            text = m.group(5)
                            shown = ("=" + _unescape(text.decode())) if text else "=(shared formula)"
                            formulas.setdefault(int(m.group(2)) - 1, {})[_col(m.group(1))] = shown
                    if not chunk:
                        break
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, NotImplementedError) as e:
        raise _unreadable(file, e) from None
    return formulas, hidden


def _unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;",
                                                                                                           "&")
