"""``python -m catalog`` runs the ``pruning-catalog`` command line."""

import sys

from catalog.cli import main

sys.exit(main())
