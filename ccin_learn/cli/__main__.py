"""``python -m ccin_learn.cli`` runs the same command as ``ccin-learn``."""

import sys

from ccin_learn.cli import main

sys.exit(main())
