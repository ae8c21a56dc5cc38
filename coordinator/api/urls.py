"""Run, approval, trigger and plan-generation endpoints arrive with the engine."""

urlpatterns: list = []
