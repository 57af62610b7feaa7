"""idmeet: recurring meetings from plain text kept in git."""

__version__ = "0.1.0"
