"""The domain: the model's records, the rules every stage shares (statuses, status on a day,
overdue), names and redaction marks, dates, cadences and diagnostics.

May import: the standard library only (and babel, lazily, for localized dates).
Kept free of imports, so that importing one module of this package loads nothing else
(start-up time).
"""
