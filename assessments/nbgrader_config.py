# nbgrader configuration for authors of the kit's assessment notebooks.
#
# This course directory holds one source notebook per module, in source/<module-id>/. Use this
# file to check a notebook while you write it. Run the commands from this folder, so that
# nbgrader reads this file:
#
#     nbgrader validate source/finance/finance.ipynb       # the model answers score full marks
#     nbgrader generate_assignment finance --force         # writes release/finance/ (blank)
#     nbgrader validate --invert release/finance/finance.ipynb   # every check fails when blank
#
# generate_assignment also writes gradebook.db and the release/ folder here: delete them when
# you have finished, and do not commit them. tests/assessments/test_source.py runs the same
# checks in a temporary folder.
#
# This file is not what trainers use: `ccin-learn grade init` writes each cohort's own
# nbgrader_config.py in the cohort's folder.

import os

c = get_config()  # noqa: F821 (nbgrader provides get_config when it loads this file)

# The course id in assessments/course.yaml.
c.CourseDirectory.course_id = "ccin-coop-option"

# This folder is the course directory, wherever nbgrader is run from.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# Answer cells are blanked with nbgrader's default stubs: "# YOUR CODE HERE" followed by
# "raise NotImplementedError()" in code cells, and "YOUR ANSWER HERE" in written answers.
# Keep them: the check cells rely on a blank answer cell failing.

# Stop a notebook cell that runs for more than a minute: every answer and check here runs in
# well under a second, so a cell that takes longer is stuck (for example in a loop).
c.ExecutePreprocessor.timeout = 60
