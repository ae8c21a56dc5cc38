from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = "Baton demo"
    # Offered in the templates gallery (coordinator/starters.py reads them; paths are
    # relative to this app).
    baton_starters = [
        {
            "slug": "docs-assistant",
            "name": "Docs assistant",
            "file": "starters/docs_assistant.yaml",
            "description": "A Coordinator chooses between docs search, workspace statistics "
            "and a summariser for each question.",
        },
        {
            "slug": "document-processing",
            "name": "Document processing",
            "file": "plans/document_processing.yaml",
            "description": "Extract a document, summarise it, have a reviewer approve the "
            "summary, publish it.",
        },
    ]
