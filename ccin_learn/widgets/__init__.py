"""ipywidgets views of the kit's tools. They show results; the logic lives elsewhere."""
