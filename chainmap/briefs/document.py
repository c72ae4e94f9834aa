"""A brief as plain blocks (headings, paragraphs, tables, a picture, numbered sources), independent of the format.

The builders (:mod:`chainmap.briefs.build`) write these blocks; the renderers
(:mod:`chainmap.briefs.formats`) turn the same blocks into Word and PDF, so both
files always say the same thing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Brief", "Heading", "Para", "Bullets", "Table", "Picture", "Sources", "public_sources"]


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Para:
    text: str
    bold: bool = False
    small: bool = False


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None   # relative column widths


@dataclass
class Picture:
    png: bytes
    caption: str = ""


@dataclass
class Sources:
    """The 数据来源 section: numbered public sources (web addresses and named publications)."""

    title: str
    items: list[str]


@dataclass
class Brief:
    """One document: a title, a subtitle line (who, what, when) and its blocks in order."""

    title: str
    subtitle: str = ""
    blocks: list = field(default_factory=list)
    lang: str = "zh"
    footer: str = ""

    def add(self, *blocks) -> "Brief":
        self.blocks.extend(b for b in blocks if b is not None)
        return self

    def text(self) -> str:
        """Every word of the brief as plain text (what a reader sees, in order).

        >>> b = Brief("一企一策：建滔集团").add(Para("强链：壮大【覆铜板】"), Table(["环节"], [["覆铜板"]]))
        >>> b.text().splitlines()
        ['一企一策：建滔集团', '', '强链：壮大【覆铜板】', '环节', '覆铜板']
        """
        out = [self.title, self.subtitle]
        for b in self.blocks:
            if isinstance(b, (Heading, Para)):
                out.append(b.text)
            elif isinstance(b, Bullets):
                out += b.items
            elif isinstance(b, Table):
                out += ["\t".join(b.headers)] + ["\t".join(r) for r in b.rows]
            elif isinstance(b, Picture):
                out.append(b.caption)
            elif isinstance(b, Sources):
                out += [b.title] + b.items
        return "\n".join(out)


_URL = re.compile(r"https?://\S+")
#: The project's own file paths in a source cell (where a fact was compiled): never printed.
_INTERNAL_PATH = re.compile(r"\s*[(（](?:shared|seeds|graphs)/[^)）]*[)）]|(?<![\w/])(?:shared|seeds|graphs)/\S*")
#: Source words that describe our own working method, not a public source.
_NOT_PUBLIC = re.compile(r"^(?:illustrative|from |derived|computed|see |桌面核查)", re.I)


def public_sources(*cells: str) -> list[str]:
    """The public sources named in ``source`` cells (separated by `` ; ``), in order, without repeats.

    Web addresses are kept whole; named publications are kept without the
    project's own file paths; working notes and bare file paths are dropped.

    Examples
    --------
    >>> public_sources("http://a.cn/1 ; shared/data/firms.csv", "清远发布 2026-02-25《方案》 (shared/reference/plan.md)",
    ...                "http://a.cn/1", "illustrative: default template")
    ['http://a.cn/1', '清远发布 2026-02-25《方案》']
    """
    out: list[str] = []
    for cell in cells:
        for part in re.split(r"\s+;\s+|\s*；\s*|\n", str(cell or "")):
            part = part.strip()
            if not part:
                continue
            urls = _URL.findall(part)
            if urls:
                out += [u.rstrip(").,;，。）") for u in urls]
                continue
            words = _INTERNAL_PATH.sub("", part).strip(" :;，,")
            if words and not _NOT_PUBLIC.match(words) and len(words) >= 4:
                out.append(words)
    return list(dict.fromkeys(out))
