"""Reports of one self-assessment, for a cabinet paper: HTML, PDF and CSV, and the JSON file.

``model`` assembles what every format shows; ``downloads`` is the one use case
that the app's download links and ``ccin-learn assess report`` share.
"""
