"""The course itself: its modules (the catalogue), a learner's route through them, and quizzes."""
