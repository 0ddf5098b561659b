"""The council self-assessment: CCIN's checklist, an assessment, its scores, versions and drafts.

Data flows one way through it: the checklist and assessment files (models) are
scored, kept by the store, and edited through a session that the app and the
command line share.
"""
