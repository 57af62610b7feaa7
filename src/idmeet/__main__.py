"""Allow ``python -m idmeet``."""

from idmeet.cli import main

main()
