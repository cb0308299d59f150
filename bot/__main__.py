"""``python -m bot`` is the ``gridbot`` command."""

from bot.cli import main

raise SystemExit(main())
