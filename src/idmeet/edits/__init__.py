"""Use cases that write: atomic writes, minimal line edits of a file, the action lifecycle,
proposals, minutes and their sync, and ``fmt``.

May import: ``idmeet.core``, ``idmeet.parser``, ``idmeet.store`` and ``idmeet.ops``.
Kept free of imports, so that importing one module of this package loads nothing else
(start-up time).
"""
