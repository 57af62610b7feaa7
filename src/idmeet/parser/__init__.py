"""Plain text -> records: the YAML reader that knows every value's line, typed field readers,
one file's bytes -> one record (``records``), and the Markdown body of a meeting (``body``).
Pure functions; problems come back as values, never raised.

May import: ``idmeet.core``.
Kept free of imports, so that importing one module of this package loads nothing else
(start-up time).
"""
