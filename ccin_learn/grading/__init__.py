"""The trainer's side of the micro-credentials: a cohort's nbgrader course, end to end."""
