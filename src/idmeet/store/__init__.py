"""The repository on disk: finding it (``paths``), loading it into a model (``load``), the
parse cache and its file format (``cache``), and the warm answer of ``idmeet actions`` from the
cache alone (``warm``, ``summary``).

May import: ``idmeet.core`` and ``idmeet.parser``.
Kept free of imports, so that importing one module of this package loads nothing else
(start-up time).
"""
