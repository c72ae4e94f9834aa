"""Import users' own spreadsheets: bytes and the current tables in, a plan and its report out.

The working groups' data come as spreadsheets: target lists from company
databases, the 单项冠军 and 500强 lists, the bureau's project ledger, the
pioneer teams' visit logs. :func:`plan_import` reads one such file for one
*kind*:

========== ============= ===================================================
kind       table         one row is
========== ============= ===================================================
firms      firms         a firm (optionally with its 所属环节: an operation)
honours    honours       an honour of a firm (世界500强 2024, 单项冠军 第八批 …)
relations  relations     a supply relation or a group link between two firms
projects   projects      a project of the 项目信息库
contacts   followups     a pioneer team's contact with a firm, for one chain
========== ============= ===================================================

and returns an :class:`ImportPlan`: per table the rows to upsert, a report
with one line per input row saying what would happen to it (added, updated,
merged, unchanged, rejected, review) and why, and every layout decision
(sheet used, title rows, units, totals and blank rows left out, merged cells
filled, hidden rows). Nothing is saved here: the caller hands the plan to a
store's ``write`` (all-or-nothing, audited). The CLI (``chainmap import``) and
the app's project import both go through it.

One module per job:

* :mod:`.sheets`: reading (calamine for xlsx/xlsm/xls/et, sniffed CSV/TSV);
* :mod:`.headers`: recognising headers (the alias table :data:`IMPORT_HEADERS`), units;
* :mod:`.sources`: recognising real sources by their headers (exchange lists, classification tables,
  company-database exports, MIIT and 500 lists: the table :data:`~.sources.SOURCES`);
* :mod:`.layout`: which body rows are data (totals, sections, blanks, hidden, merges);
* :mod:`.cells`: parsing cells, the formula policy;
* :mod:`.firms`: resolving firms, chains and links; planning firm rows;
* :mod:`.planners`: planning the other kinds;
* :mod:`.merging`: one record per key against the store's;
* :mod:`.report`: the plan and its words (zh/en);
* :mod:`.pipeline`: :func:`plan_import` itself.

Decisions
---------
* **Blank never erases.** A blank cell means "not in this file", so it
  leaves the stored value alone; an import only adds or changes values.
* **merged** means the row names a firm of the library by another name
  (建滔化工集团有限公司 → 建滔集团): its facts go to that firm and the name is
  kept as an alias, so the next import matches it exactly. A *regional*
  entity (建滔（佛冈）积层板有限公司) is another legal person: it is **added** as a
  new firm PART_OF the firm it belongs to, never folded into it.
* **review** rows are not planned at all: a person picks the firm (the
  candidates are listed) and imports them again.
* A row with any bad cell is **rejected**; a file with a rejected row is
  refused as a whole (:class:`~chainmap.io.InputError` listing every problem)
  unless ``accept_valid=True``, which plans the good rows and lists the bad.
* A credit code is the id of a firm the import creates; for a firm already
  in the library under a slug id it is kept among the aliases (the firms
  table has no credit-code column), where the matcher finds it next time.
* The plan never deletes: re-importing a file is idempotent (everything
  ``unchanged``), and rows missing from a file are not removed from the store.
"""
from .cells import FORMULA_POLICIES, Vocabulary, formula_like
from .headers import HEADERS_ZH, IMPORT_HEADERS, KINDS
from .pipeline import parse_mapping, plan_import
from .report import ACTIONS, MAX_BYTES, ImportPlan, check_size
from .sheets import read_sheet

__all__ = ["KINDS", "ACTIONS", "MAX_BYTES", "IMPORT_HEADERS", "HEADERS_ZH", "FORMULA_POLICIES", "ImportPlan",
           "Vocabulary", "plan_import", "parse_mapping", "check_size", "read_sheet", "formula_like"]
