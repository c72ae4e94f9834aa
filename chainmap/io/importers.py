"""The import pipeline's public names, where callers have always found them.

The code lives in :mod:`chainmap.io.importing`, one module per job.
"""
from .importing import (ACTIONS, FORMULA_POLICIES, HEADERS_ZH, IMPORT_HEADERS, KINDS, MAX_BYTES, ImportPlan,
                        Vocabulary, check_size, parse_mapping, plan_import, read_sheet)

__all__ = ["KINDS", "ACTIONS", "MAX_BYTES", "IMPORT_HEADERS", "HEADERS_ZH", "FORMULA_POLICIES", "ImportPlan",
           "Vocabulary", "plan_import", "parse_mapping", "check_size", "read_sheet"]
