"""The demo: offline python agents, their users and canvases (``manage.py seed_demo``).

Kept apart from the product: the demo imports Baton's modules, never the other way round
(``tests/test_demo_is_apart_from_the_product.py`` checks it). Settings name the demo only
as configuration — the app in ``INSTALLED_APPS`` and its callables in the default
``BATON_PYTHON_AGENTS`` allowlist.
"""
