"""The kit's live tools: notebooks that Voila serves as web apps.

Each notebook in this folder is one tool; ``ccin-learn start`` serves the
folder, and the static book links to each tool here.
"""

from pathlib import Path

APPS_DIR = Path(__file__).resolve().parent
