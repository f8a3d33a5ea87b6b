"""Allow `python -m archive`."""

from .cli import main

main()
