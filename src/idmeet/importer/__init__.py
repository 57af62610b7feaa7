"""``idmeet import``: the users' existing agendas and action lists into the repository.

``read.read_source`` turns a .txt, .md or .docx file into lines; ``core.import_document``
turns the lines into the text of a meeting file and its action files (a pure function);
``plan`` checks the result against the repository and writes it, all or nothing.

May import: ``idmeet.core``, ``idmeet.parser``, ``idmeet.store``, ``idmeet.ops`` and
``idmeet.edits``. Kept free of imports (start-up time).
"""
