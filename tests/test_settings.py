"""The links between the book and the live tools follow the deployment's settings."""

from __future__ import annotations

from ccin_learn.settings import app_url, apps_url, book_url


def test_defaults_are_localhost(monkeypatch):
    monkeypatch.delenv("CCIN_BOOK_URL", raising=False)
    monkeypatch.delenv("CCIN_APPS_URL", raising=False)
    assert book_url() == "http://127.0.0.1:8000/"
    assert app_url("pathway") == "http://127.0.0.1:8866/voila/render/pathway.ipynb"


def test_a_shared_deployment_sets_its_own_urls(monkeypatch):
    monkeypatch.setenv("CCIN_APPS_URL", "https://tools.example.gov.uk/")
    monkeypatch.setenv("CCIN_BOOK_URL", "https://learn.example.gov.uk/")
    assert apps_url() == "https://tools.example.gov.uk/"
    assert app_url("pathway") == "https://tools.example.gov.uk/voila/render/pathway.ipynb"
    assert book_url() == "https://learn.example.gov.uk/"
