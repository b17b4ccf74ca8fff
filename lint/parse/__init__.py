"""The parse stage: one file's bytes -> its model (model/syntax.py). The
only modules that touch python-hcl2, lark and PyYAML; parser quirks
(positions, BOMs, CRLF, limits) are solved here and nowhere else."""
