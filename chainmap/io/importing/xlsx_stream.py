"""Stream the cells of an xlsx/xlsm sheet row by row, straight from its XML, in bounded memory.

calamine (used for .xls/.et, and for xlsx when this reader cannot) loads a
sheet whole: about 0.45 GB for a million rows. This reader decompresses the
sheet's XML in 4 MB chunks and turns each ``<row>`` into text cells as it
goes, so only the shared strings and the current chunk are held. It reads
cells where they are (``r="B5"``), never the dimension record; formula cells
come out as :class:`~chainmap.io.importing.cells.Formula` and hidden rows are
noted as they pass. Dates are numbers with a date format (built-in ids or a
custom code with y/d/年/月/日), in the 1900 or 1904 system.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from .cells import Formula, cell_text

__all__ = ["XlsxBook", "open_book"]

_CHUNK = 1 << 22
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*?)/?>")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*?)/?>")
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
# A cell: its column letters, style and type (each optional, any order), and its content.
_CELL = re.compile(rb'<(?:\w+:)?c\b(?:(?=[^>]*?\sr="([A-Z]+)\d+"))?(?:(?=[^>]*?\ss="(\d+)"))?'
                   rb'(?:(?=[^>]*?\st="(\w+)"))?[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_V = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_F = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_T = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_RPH = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_SI = re.compile(rb"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_ESC = re.compile(r"_x([0-9A-Fa-f]{4})_")
_DATE_IDS = set(range(14, 18)) | {22} | set(range(27, 37)) | set(range(50, 59))
_TIME_IDS = {18, 19, 20, 21, 45, 46, 47}


_ATTRS: dict[bytes, re.Pattern] = {}


def _attr(attrs: bytes, name: bytes) -> bytes | None:
    pattern = _ATTRS.get(name)
    if pattern is None:
        pattern = _ATTRS[name] = re.compile(rb"(?:^|\s)" + name + rb'="([^"]*)"')
    m = pattern.search(attrs)
    return m.group(1) if m else None


class _Refs(dict):
    """A piece of text that ended at a ``;`` → itself decoded: ``text&#NNNN`` → text + that character, plain text →
    text + ``;``.

    Pieces repeat (a sheet's names are made of a few thousand characters), so each is decoded once and then looked
    up in C; a piece that is no valid reference raises ``ValueError`` and the caller falls back to
    :func:`html.unescape`.
    """

    def __missing__(self, piece: str) -> str:
        head, amp, code = piece.partition("&#")
        if not amp:
            out = piece + ";"
        else:
            digits = code[1:] if code[:1] in ("x", "X") else code
            if not digits.isascii() or not digits.isalnum():  # html reads [0-9] or [0-9a-fA-F] only
                raise ValueError(piece)
            v = int(digits, 16 if digits is not code else 10)
            if v < 32 or 0x7F <= v <= 0x9F or 0xD800 <= v <= 0xDFFF or 0xFDD0 <= v <= 0xFDEF or v >= 0xFFFE:
                raise ValueError(piece)  # what html.unescape replaces, drops or maps: left to it
            out = head + chr(v)
        if len(self) < 200_000:
            self[piece] = out
        return out


_REFS = _Refs()


def _unescape(s: str) -> str:
    """XML entities to text; numeric references alone (writers that escape every non-ASCII character) quickly.

    >>> _unescape("&#21333;&#20301;&#65306;&#x4E07;元 &amp; Co")
    '单位：万元 & Co'
    >>> _unescape("&#20225;&#26597;&#26597; 2026-06; &#x4E07;"), _unescape("&#0;x")
    ('企查查 2026-06; 万', '\ufffdx')
    """
    if "&#" not in s or _NAMED.search(s):
        return html.unescape(s)
    *pieces, tail = s.split(";")
    if "&#" in tail:
        return html.unescape(s)
    try:
        return "".join(map(_REFS.__getitem__, pieces)) + tail
    except ValueError:
        return html.unescape(s)


_NAMED = re.compile(r"&(?!#)")


def _text(raw: bytes) -> str:
    s = raw.decode("utf-8")
    if "&" in s:  # entities are rare: unescape only where there are some
        s = _unescape(s)
    return _ESC.sub(lambda m: chr(int(m.group(1), 16)), s) if "_x" in s else s


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _kind_of(code: str) -> str:
    c = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    if re.search(r"[yd年月日]", c):
        return "date"
    if re.search(r"[hs时分秒]", c):
        return "time"
    return ""


@dataclass
class XlsxBook:
    """The sheets of an xlsx workbook: ``(name, part, hidden)``, with shared strings and date styles."""

    z: zipfile.ZipFile
    sheets: list[tuple[str, str | None, bool]]
    strings: list[str] | None = None
    styles: list[str] | None = None
    epoch: dt.datetime = dt.datetime(1899, 12, 30)

    def _load(self) -> None:
        if self.strings is not None:
            return
        names = set(self.z.namelist())
        part = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else None
        self.strings = []
        if part:
            data = self.z.read(part)
            for m in _SI.finditer(data):
                body = _RPH.sub(b"", m.group(1) or b"")
                self.strings.append("".join(_text(t.group(1) or b"") for t in _T.finditer(body)))
            del data
        self.styles = []
        if "xl/styles.xml" in names:
            x = self.z.read("xl/styles.xml")
            fmts = {}
            for m in re.finditer(rb"<(?:\w+:)?numFmt\b([^>]*?)/?>", x):
                i, code = _attr(m.group(1), b"numFmtId"), _attr(m.group(1), b"formatCode")
                if i is not None and code is not None:
                    fmts[int(i)] = _kind_of(_text(code))
            xfs = re.search(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", x, re.S)
            for m in re.finditer(rb"<(?:\w+:)?xf\b([^>]*?)/?>", xfs.group(1) if xfs else b""):
                i = int(_attr(m.group(1), b"numFmtId") or 0)
                self.styles.append(fmts.get(i, "date" if i in _DATE_IDS else "time" if i in _TIME_IDS else ""))

    def merges(self, part: str) -> list[tuple[int, int, int, int]]:
        """Merged ranges of a sheet (0-based, inclusive): one streaming pass to its end, where they are written."""
        out: dict[tuple, None] = {}
        with self.z.open(part) as f:
            tail = b""
            while True:
                chunk = f.read(_CHUNK)
                if not chunk:
                    break
                buf = tail + chunk
                if b"mergeCell" in buf:
                    for m in _MERGE.finditer(buf):
                        c0, r0 = _col(m.group(1)), int(m.group(2)) - 1
                        c1, r1 = (_col(m.group(3)), int(m.group(4)) - 1) if m.group(3) else (c0, r0)
                        out[(r0, c0, r1, c1)] = None
                tail = buf[-256:]  # an element cut by the chunk's end is read whole next time
        return list(out)

    def _chunks(self, part: str) -> Iterator[bytes]:
        """The sheet's XML in pieces that end after a whole ``</row>``."""
        with self.z.open(part) as f:
            tail = b""
            while True:
                chunk = f.read(_CHUNK)
                buf = tail + chunk
                if not chunk:
                    if buf:
                        yield buf
                    return
                cut = buf.rfind(b"</row>") + 6
                if cut < 6:
                    tail = buf
                    continue
                yield buf[:cut]
                tail = buf[cut:]

    def rows(self, part: str, hidden_rows: set[int]) -> Iterator[list[str]]:
        """Rows from row 1 on as text cells (gaps as empty rows); hidden rows are added to ``hidden_rows``.

        A chunk laid out as Excel, WPS and openpyxl write it (each cell ``<c r="B5" …>`` holding nothing, a
        ``<v>`` or an inline ``<is><t>``; no formula, rich text or namespace prefix) is read by one regular
        expression over the whole chunk (:data:`_FAST`); any other chunk by the general, per-row one. Both give
        the same cells: the fast one is used only when it accounts for every ``<row`` and ``<c`` of the chunk.
        """
        self._load()
        strings, styles, epoch = self.strings, self.styles, self.epoch
        n = 0
        for chunk in self._chunks(part):
            found = _fast(chunk)
            if found is not None:
                rows, n = self._fast_rows(found, n, hidden_rows)
                yield from rows
                continue
            for m in _ROW.finditer(chunk):
                attrs, body = m.group(1), m.group(2) or b""
                i = _row_number(attrs, n, hidden_rows)
                while n < i:
                    yield []
                    n += 1
                row: list[str] = []
                for c in _CELL.finditer(body):
                    letters, style, t, inner = c.groups()
                    j = _col(letters) if letters else len(row)
                    if j > len(row):
                        row.extend([""] * (j - len(row)))
                    row[j:j + 1] = [self._value(t, style, inner or b"", strings, styles, epoch)]
                yield row
                n = i + 1

    def _fast_rows(self, found: list[tuple], n: int, hidden_rows: set[int]) -> tuple[list[list[str]], int]:
        """The rows of a chunk read by :data:`_FAST` (as :meth:`rows` reads them), and the next row number."""
        strings, styles, epoch = self.strings, self.styles, self.epoch
        out: list[list[str]] = []
        row: list[str] | None = None
        attrs_of, cols, texts = _CELL_ATTRS, _COLS, _TEXTS
        for tag, letters, attrs, v, t in found:
            if tag:
                if row is not None:
                    out.append(row)
                i = _row_number(tag, n, hidden_rows)
                while n < i:
                    out.append([])
                    n += 1
                row = []
                n = i + 1
                continue
            ts = attrs_of.get(attrs)
            if ts is None:
                ts = attrs_of[attrs] = (_attr(attrs, b"t"), _attr(attrs, b"s"))
            kind, style = ts
            if kind == b"inlineStr":
                if t:
                    value = texts.get(t)
                    if value is None:
                        value = _text(t).strip()
                        if len(t) <= 64:  # cities, links, sources: the same few values, decoded once
                            if len(texts) >= 50_000:
                                texts.clear()
                            texts[t] = value
                else:
                    value = ""
            elif not v:  # no <v> (v holds "<v>" and the value: findall gives b"" for a group that took no part)
                value = ""
            elif style is None and (kind is None or kind == b"n"):
                value = cell_text(float(v[3:]))
            else:
                value = self._value(kind, style, v + b"</v>", strings, styles, epoch)
            j = cols.get(letters)
            if j is None:
                j = cols[letters] = _col(letters)
            k = len(row)
            if j == k:
                row.append(value)
            elif j > k:
                row.extend([""] * (j - k))
                row.append(value)
            else:
                row[j] = value
        if row is not None:
            out.append(row)
        return out, n

    @staticmethod
    def _value(t: bytes | None, s: bytes | None, inner: bytes, strings, styles, epoch) -> str:
        if b"<f" in inner or b":f" in inner:
            f = _F.search(inner)
            if f is not None:
                return Formula("=" + _text(f.group(1)) if f.group(1) else "=(shared formula)")
        if t == b"inlineStr":
            return "".join(_text(x.group(1) or b"") for x in _T.finditer(_RPH.sub(b"", inner))).strip()
        v = _V.search(inner)
        if v is None:
            return ""
        raw = v.group(1)
        if t == b"s":
            k = int(raw)
            return strings[k].strip() if k < len(strings) else ""
        if t in (b"str", b"e"):
            return _text(raw).strip()
        if t == b"b":
            return "true" if raw.strip() in (b"1", b"true") else "false"
        if t == b"d":
            return _text(raw).strip()[:10] if _text(raw).strip().endswith("T00:00:00") else _text(raw).strip()
        x = float(raw)
        kind = styles[int(s)] if s is not None and int(s) < len(styles) else ""
        if kind == "date":
            return cell_text(epoch + dt.timedelta(days=x))
        if kind == "time":
            return cell_text(dt.timedelta(seconds=round((x % 1) * 86400)))
        return cell_text(x)


def _row_number(attrs: bytes, n: int, hidden_rows: set[int]) -> int:
    """A row's 0-based number from its tag's attributes (``n``, the next one, when it has no ``r``); a hidden
    row's number is added to ``hidden_rows``."""
    r = _attr(attrs, b"r")
    i = int(r) - 1 if r else n
    if b'hidden="1"' in attrs or b'hidden="true"' in attrs:
        hidden_rows.add(i)
    return i


# A row's start tag, or a cell as Excel, WPS and openpyxl write it: its column letters, its other attributes, and
# a value (``<v>`` and its text) or an inline string (``<is><t>``'s text) or nothing.
_FAST = re.compile(rb'(<row\b[^>]*>)|<c r="([A-Z]+)\d+"([^>]*?)(?:/>|>(?:(<v>[^<]*)</v>|<is><t(?:\s[^>]*)?>([^<]*)</t></is>)?'
                   rb'</c>)')
_CELL_ATTRS: dict[bytes, tuple] = {}  # a cell's attributes after r="…" → (type, style)
_COLS: dict[bytes, int] = {}  # column letters → column number
_TEXTS: dict[bytes, str] = {}  # short inline strings as written → text


def _fast(chunk: bytes) -> list[tuple] | None:
    """Rows and cells of a chunk by :data:`_FAST`, or ``None`` when some ``<row`` or ``<c`` is not of that form.

    >>> _fast(b'<row r="2"><c r="A2" t="inlineStr"><is><t>&#24314;&#28404;</t></is></c><c r="C2"><v>5</v></c></row>')
    [(b'<row r="2">', b'', b'', b'', b''), (b'', b'A', b' t="inlineStr"', b'', b'&#24314;&#28404;'), (b'', b'C', b'', b'<v>5', b'')]
    >>> _fast(b'<row r="2"><c r="A2"><f>SUM(B1)</f><v>5</v></c></row>') is None
    True
    """
    if b":row" in chunk or b":c " in chunk:  # a namespace prefix (x:row, x:c): the general reader
        return None
    found = _FAST.findall(chunk)
    tags = sum(1 for f in found if f[0])
    if tags != chunk.count(b"<row ") + chunk.count(b"<row>") + chunk.count(b"<row/>") or \
            len(found) - tags != chunk.count(b"<c ") + chunk.count(b"<c>") + chunk.count(b"<c/>"):
        return None
    return found


def open_book(data: bytes) -> XlsxBook:
    """The workbook's sheets in order, from workbook.xml and its relationships."""
    z = zipfile.ZipFile(io.BytesIO(data))
    wbx = z.read("xl/workbook.xml")
    rels = z.read("xl/_rels/workbook.xml.rels")
    targets = {}
    for m in _REL.finditer(rels):
        rid, tgt = _attr(m.group(1), b"Id"), _attr(m.group(1), b"Target")
        if rid and tgt:
            t = tgt.decode()
            targets[rid] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    names = set(z.namelist())
    sheets = []
    for m in _SHEET.finditer(wbx):
        a = m.group(1)
        name = _text(_attr(a, b"name") or b"")
        rid = re.search(rb'\w+:id="([^"]*)"', a)
        part = targets.get(rid.group(1)) if rid else None
        if part is not None and ("worksheets/" not in part or part not in names):
            part = None  # a chart sheet, a dialog sheet, or a missing part
        state = _attr(a, b"state")
        sheets.append((name, part, state not in (None, b"visible")))
    epoch = dt.datetime(1904, 1, 1) if re.search(rb'date1904="(?:1|true)"', wbx) else dt.datetime(1899, 12, 30)
    return XlsxBook(z, sheets, epoch=epoch)
