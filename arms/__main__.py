"""``python -m arms`` runs the command line."""

from arms.cli import main

raise SystemExit(main())
