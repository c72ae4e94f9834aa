"""The one error type that bad input raises, and the coded problems it carries."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

from .messages import MORE_PROBLEMS, PROBLEMS, place, render

__all__ = ["Problem", "InputError", "Invalid"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place of an input file: a code and its values, not words.

    ``code`` is a key of :data:`chainmap.io.messages.PROBLEMS` and ``params``
    the values its words need; :func:`chainmap.i18n.problem_text` says it in
    Chinese or English. ``str(problem)`` is English, for logs. Free text from
    outside chainmap (a library's error) is ``code="other"`` with
    ``params={"message": …}`` (:meth:`other`).

    ``row`` counts as a spreadsheet does: the header is row 1, the first data
    row is row 2. For chain files, ``row`` is ``None`` and ``column`` names the
    link or edge.

    Examples
    --------
    >>> p = Problem("名单.xlsx", "required", row=5, column="企业名称", sheet="目标企业")
    >>> p.code, p.text()
    ('required', 'required, but empty')
    >>> print(p)
    名单.xlsx, sheet '目标企业', row 5, column '企业名称': required, but empty
    """

    file: str
    code: str = "other"
    params: Mapping = field(default_factory=dict, hash=False)
    row: int | None = None
    column: str | None = None
    sheet: str | None = None  # the workbook sheet the row is on (None: a text file, or the file as a whole)

    def __post_init__(self):
        if self.code not in PROBLEMS:
            raise ValueError(f"unknown problem code {self.code!r}: add it to chainmap.io.messages.PROBLEMS")

    @classmethod
    def other(cls, file: str, message: str, **where) -> "Problem":
        """A problem in free text from outside chainmap (a library's error), said as it came."""
        return cls(file, "other", {"message": message}, **where)

    @classmethod
    def from_error(cls, file: str, err: ValueError, **where) -> "Problem":
        """A problem from a parser's error: its code when it is an :class:`Invalid`, else its text as it came."""
        if isinstance(err, Invalid):
            return cls(file, err.code, err.params, **where)
        return cls.other(file, str(err), **where)

    @property
    def message(self) -> str:
        """The problem in English (for logs; people read :func:`chainmap.i18n.problem_text`)."""
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The problem in words (without its place)."""
        return render(self.code, self.params, lang)

    def moved(self, **where) -> "Problem":
        """The same problem at another place (another file name, say)."""
        return replace(self, **where)

    def line(self, lang: str = "en") -> str:
        """The problem with its place: file, sheet, row and column, then what is wrong."""
        return f"{place(self.file, self.sheet, self.row, self.column, lang)}{': ' if lang == 'en' else '：'}" \
               f"{self.text(lang)}"

    def __str__(self) -> str:
        return self.line()


class Invalid(ValueError):
    """A bad value, as a problem code and its values; ``str`` is English.

    Raised by the parsers of cells (amounts, dates) so that whoever knows the
    file, row and column can make a :class:`Problem` of it.

    Examples
    --------
    >>> e = Invalid("negative_amount", value="-3")
    >>> e.code, e.params, str(e)
    ('negative_amount', {'value': '-3'}, "negative amount '-3': amounts must be zero or more")
    """

    def __init__(self, code: str, /, **params):
        if code not in PROBLEMS:
            raise ValueError(f"unknown problem code {code!r}")
        self.code, self.params = code, params
        super().__init__(render(code, params))


class InputError(ValueError):
    """Bad input: names the file, the row and column (or link), and the problem.

    Raised before anything is changed, so whoever catches it can rely on the
    store being as it was.

    Examples
    --------
    >>> err = InputError([Problem("seeds/firms.csv", "duplicate_key", {"value": "kingboard"}, row=7, column="id")])
    >>> print(err)
    seeds/firms.csv, row 7, column 'id': duplicate key 'kingboard'
    """

    MAX_SHOWN = 20

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = list(problems)
        super().__init__(self.text())

    def text(self, lang: str = "en") -> str:
        """One line per problem (the first :attr:`MAX_SHOWN`, then how many more), in ``lang``."""
        lang = "en" if lang == "en" else "zh"
        lines = [p.line(lang) for p in self.problems[: self.MAX_SHOWN]]
        if len(self.problems) > self.MAX_SHOWN:
            lines.append(MORE_PROBLEMS[lang == "zh"].format(n=len(self.problems) - self.MAX_SHOWN))
        return "\n".join(lines)

    @property
    def first(self) -> Problem:
        return self.problems[0]
