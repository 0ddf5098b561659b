"""The logic of the course's interactive tools, one module per tool, tested without widgets."""
