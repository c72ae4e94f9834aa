"""The one error type that bad input raises."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "InputError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place of an input file.

    ``row`` counts as a spreadsheet does: the header is row 1, the first data
    row is row 2. For chain files, ``row`` is ``None`` and ``column`` names the
    link or edge.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None  # the workbook sheet the row is on (None: a text file, or the file as a whole)

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class InputError(ValueError):
    """Bad input: names the file, the row and column (or link), and the problem.

    Raised before anything is changed, so whoever catches it can rely on the
    store being as it was.

    Examples
    --------
    >>> err = InputError([Problem("seeds/firms.csv", "duplicate id 'kingboard'", row=7, column="id")])
    >>> print(err)
    seeds/firms.csv, row 7, column 'id': duplicate id 'kingboard'
    >>> print(Problem("名单.xlsx", "required, but empty", row=5, column="企业名称", sheet="目标企业"))
    名单.xlsx, sheet '目标企业', row 5, column '企业名称': required, but empty
    """

    MAX_SHOWN = 20

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[: self.MAX_SHOWN]]
        if len(self.problems) > self.MAX_SHOWN:
            lines.append(f"... and {len(self.problems) - self.MAX_SHOWN} more problems")
        super().__init__("\n".join(lines))

    @property
    def first(self) -> Problem:
        return self.problems[0]
