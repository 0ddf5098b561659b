"""Micro-credentials: the catalogue, the issuer's key, signed Open Badges and certificates."""
