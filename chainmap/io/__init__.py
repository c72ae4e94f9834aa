"""Parse, validate and write chainmap's tables and chain files.

Pure ``parse_*``/``format_*`` functions sit under thin ``read_*``/``write_*``
wrappers; bad input raises :class:`InputError`, naming file, row and column.
"""
from .errors import InputError, Problem
from .tables import decode_bytes, format_table, parse_table
from .chains import format_chain, parse_chain
from .workspace import (atomic_write, bundled_workspace, canonical, format_workspace,
                        parse_workspace, read_workspace, validate_tables, write_workspace)

__all__ = [
    "InputError", "Problem", "decode_bytes", "parse_table", "format_table", "parse_chain",
    "format_chain", "parse_workspace", "format_workspace", "read_workspace", "write_workspace",
    "atomic_write", "bundled_workspace", "canonical", "validate_tables",
]
