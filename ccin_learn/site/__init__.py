"""The course book as a website: where the checkout's files are, the build, its assets, the server.

``sphinxext`` is the Sphinx extension the book's ``_config.yml`` loads.
"""
