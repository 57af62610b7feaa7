"""Use cases over a loaded repository that read it: validations, the action query, meeting
look-ups, the next agenda, reports, rendering of documents, and the diff between revisions.

May import: ``idmeet.core``, ``idmeet.parser`` and ``idmeet.store``.
Kept free of imports, so that importing one module of this package loads nothing else
(start-up time).
"""
