"""Documents people receive, as files: Markdown, HTML, Word (DOCX) and PDF, and the pack of an
agenda with its attachments (a zip)."""
