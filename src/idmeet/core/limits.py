"""Bounds on what idmeet reads, so a damaged or hostile file costs a clear error, not the machine.

idmeet's files are small (a meeting is a few kilobytes) and shallow (a series' standing items
are three levels down), so the bounds are far above anything real.
"""

from __future__ import annotations

MAX_FILE_BYTES = 10 * 1024 * 1024  # a file larger than this is not read
MAX_FILE_TEXT = "10 MB"
MAX_YAML_DEPTH = 32  # nested lists and mappings in idmeet.yaml or a frontmatter
