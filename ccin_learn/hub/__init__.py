"""The kit on a JupyterHub: one deployment that the network's councils sign in to.

``ccin-learn hub init DIR`` writes the hub's files (a commented configuration,
its secrets, a README for IT); ``ccin-learn hub start DIR`` runs it. Councillors
and officers then take the course and the micro-credentials in a browser.
"""
