"""`python manage.py seed_demo`: demo users, agents and canvases. Safe to run again.

Everything is keyed by username or slug and only written when it differs, so a second
run creates nothing and changes nothing. Passwords: from BATON_ADMIN_PASSWORD /
BATON_DEMO_PASSWORD when set; otherwise generated and printed once, when the user is
created. An existing user's password changes only when its variable is set.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from canvas.agent_kinds import validate_kind_config
from canvas.canvas_yaml import canvas_from_yaml
from canvas.components import CoordinatorConfig
from canvas.models import Agent, Canvas
from canvas.services import save_version
from canvas.yaml_io import yaml_limits

DEMO_DIR = Path(__file__).resolve().parents[2]
DOCUMENT_PROCESSING_YAML = DEMO_DIR / "plans" / "document_processing.yaml"
URL = "http://127.0.0.1:8000/"
TEAM = "demo-team"
DEMO_MODULE = "demo.agents"

# Descriptions are the routing signal (docs/architecture.md). The offline router reads words, so each
# description names what the agent does in the words people type, and states its limits
# without borrowing a neighbour's keywords (a "does not count runs" would attract run
# questions): see docs/routing.md and docs/agents.md.
DEMO_AGENTS: list[dict[str, Any]] = [
    {
        "slug": "search-docs",
        "name": "Docs search",
        "callable": "search_docs",
        "description": (
            "Searches Baton's user documentation (the docs, guides and manual in docs/) and "
            "explains how Baton works, quoting the relevant sections: how-to questions "
            "about building a canvas, the Coordinator's five phases, its settings and "
            "defaults (selection strategies such as capability_based, load_balanced and "
            "priority_based, timeouts, retries and failure handling), writing agent "
            "descriptions, plan YAML and workflow.yaml import, how approvals and the inbox "
            "work, the REST API, the CLI, events and websockets. It answers from the "
            "written guides only, not from this installation's live records."
        ),
        "capabilities": ["docs", "documentation", "how-to", "help"],
        "priority": 10,
    },
    {
        "slug": "workspace-stats",
        "name": "Workspace statistics",
        "callable": "workspace_statistics",
        "description": (
            "Reports live statistics and counts from this Baton installation's database: "
            "how many canvases, saved versions and registered agents exist, agents by kind "
            "and how many are enabled, recently updated canvases, the number of runs per "
            "status, median run duration, and how many approvals are pending or decided. "
            "Use it for totals, metrics and 'how many' questions about the current "
            "workspace."
        ),
        "capabilities": ["statistics", "metrics", "counts", "totals"],
        "priority": 10,
    },
    {
        "slug": "summarize-text",
        "name": "Summariser",
        "callable": "summarize_text",
        "description": (
            "Summarizes (summarises) a given text or paragraph: picks its most informative "
            "sentences, keeps them in their original order and lists the key points, like "
            "a tl;dr. Use it to condense, shorten or give the gist of pasted text or of "
            "text produced by an earlier step. It works only on the text it is given."
        ),
        "capabilities": ["summary", "summarization", "condense", "tldr"],
        "priority": 5,
    },
    {
        "slug": "keyword-trends",
        "name": "Docs keyword trends",
        "callable": "keyword_trends",
        "description": (
            "Counts which terms and keywords occur most often in Baton's documentation "
            "about a topic and returns a term-frequency table (term, count, files). Use it "
            "for vocabulary and 'which words come up most' questions about the guides."
        ),
        "capabilities": ["keywords", "term-frequency", "vocabulary"],
        "priority": 3,
    },
    {
        "slug": "extract-document",
        "name": "Document extractor",
        "callable": "extract_document",
        "description": (
            "Extracts the plain text, title, headings and word count of one Markdown file "
            "in Baton's docs folder, given its document id (a file name such as "
            "coordinator.md); formatting is stripped. The first step of document "
            "processing. Files outside the docs folder are refused."
        ),
        "capabilities": ["extraction", "document", "plain-text"],
        "priority": 5,
    },
    {
        "slug": "publish-summary",
        "name": "Summary publisher",
        "callable": "publish_summary",
        "description": (
            "Publishes a finished, approved summary as a Markdown file in Baton's media "
            "folder (published/<title>.md) and returns the file's path and size. The last "
            "step of document processing; it saves what it is given without rewriting it."
        ),
        "capabilities": ["publishing", "files", "output"],
        "priority": 5,
    },
]

PYTHON_AGENTS = [f"{DEMO_MODULE}.{a['callable']}" for a in DEMO_AGENTS]
DOCS_ASSISTANT_AGENTS = ["search-docs", "workspace-stats", "summarize-text"]


def docs_assistant_graph() -> dict[str, Any]:
    """Begin → Coordinator → Interact; the Coordinator delegates to three sub-agents."""
    coordinator_config = CoordinatorConfig().model_dump(
        mode="json", exclude={"system_prompt", "sub_agents"}
    )
    nodes: list[dict[str, Any]] = [
        {
            "id": "begin",
            "type": "begin",
            "position": {"x": 0, "y": 0},
            "data": {
                "label": "Begin",
                "config": {
                    "input_schema": {"type": "object", "properties": {}},
                    "conversation_mode": "multi_turn",
                    "greeting": (
                        "Ask me how Baton works (canvases, the Coordinator, agents, plan "
                        "YAML, the API) or how many canvases, agents and runs this "
                        "workspace has."
                    ),
                },
            },
        },
        {
            "id": "coordinator",
            "type": "coordinator",
            "position": {"x": 320, "y": 0},
            "data": {"label": "Coordinator", "config": coordinator_config},
        },
        {
            "id": "interact",
            "type": "interact",
            "position": {"x": 640, "y": 0},
            "data": {"label": "Answer", "config": {"format": "markdown", "message": ""}},
        },
    ]
    edges: list[dict[str, Any]] = [
        {
            "id": "e-begin-coordinator",
            "source": "begin",
            "sourceHandle": "out",
            "target": "coordinator",
            "targetHandle": "in",
        },
        {
            "id": "e-coordinator-interact",
            "source": "coordinator",
            "sourceHandle": "out",
            "target": "interact",
            "targetHandle": "in",
        },
    ]
    labels = {a["slug"]: a["name"] for a in DEMO_AGENTS}
    for i, slug in enumerate(DOCS_ASSISTANT_AGENTS):
        nodes.append(
            {
                "id": slug,
                "type": "sub_agent",
                "position": {"x": 80 + 240 * i, "y": 220},
                "data": {"label": labels[slug], "config": {"agent": slug}},
            }
        )
        edges.append(
            {
                "id": f"e-coordinator-{slug}",
                "source": "coordinator",
                "sourceHandle": "agents",
                "target": slug,
                "targetHandle": "delegate",
            }
        )
    return {"nodes": nodes, "edges": edges, "viewport": {"x": 0, "y": 0, "zoom": 1}}


def document_processing_graph() -> dict[str, Any]:
    """The document-processing plan YAML, imported as the editor imports it (laid out, no
    viewport: the editor fits it in view when it opens)."""
    _plan, graph = canvas_from_yaml(
        DOCUMENT_PROCESSING_YAML.read_text(encoding="utf-8"), **yaml_limits()
    )
    return graph


@dataclass
class Login:
    username: str
    note: str
    password: str | None = None  # only when generated just now


def _sync(obj, values: dict[str, Any]) -> bool:
    """Sets the fields that differ; True when anything changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return bool(changed)


class Command(BaseCommand):
    help = "Create the demo users, agents and canvases (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default=URL,
            help=f"where Baton will be served, for the message (default {URL})",
        )

    def handle(self, *args, **options):
        self.counts = {"created": 0, "updated": 0, "unchanged": 0}
        self.url = options["url"]
        with transaction.atomic():
            logins = self._users()
            team = self._team(logins)
            self._agents()
            designer = get_user_model().objects.get(username="designer")
            canvases = self._canvases(designer, team)
        self._report(logins, canvases)

    # ------------------------------------------------------------------ users

    def _password_from_env(self, var: str) -> str | None:
        value = os.environ.get(var) or None
        if value is not None:
            try:
                validate_password(value)
            except ValidationError as exc:
                raise CommandError(
                    f"{var} is not an acceptable password: {' '.join(exc.messages)}"
                ) from None
        return value

    def _user(self, username: str, *, superuser: bool, env_var: str) -> Login:
        user_model = get_user_model()
        from_env = self._password_from_env(env_var)
        flags = {
            "email": f"{username}@example.com",
            "is_superuser": superuser,
            "is_staff": superuser,
            "is_active": True,
        }
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(username=username, **flags)
            password = from_env or secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            self._count("created")
            if from_env:
                return Login(username, f"password from {env_var}")
            return Login(username, "generated password (shown once)", password)
        changed = _sync(user, {k: v for k, v in flags.items() if k != "email"})
        note = "password unchanged"
        if from_env:
            if user.check_password(from_env):
                note = f"password unchanged (matches {env_var})"
            else:
                user.set_password(from_env)
                changed = True
                note = f"password set from {env_var}"
        if changed:
            user.save()
        self._count("updated" if changed else "unchanged")
        return Login(username, note)

    def _users(self) -> list[Login]:
        return [
            self._user("admin", superuser=True, env_var="BATON_ADMIN_PASSWORD"),
            self._user("designer", superuser=False, env_var="BATON_DEMO_PASSWORD"),
            self._user("reviewer", superuser=False, env_var="BATON_DEMO_PASSWORD"),
        ]

    def _team(self, logins: list[Login]) -> Group:
        team, created = Group.objects.get_or_create(name=TEAM)
        self._count("created" if created else "unchanged")
        for user in get_user_model().objects.filter(username__in=["designer", "reviewer"]):
            if not user.groups.filter(pk=team.pk).exists():
                user.groups.add(team)
        return team

    # ------------------------------------------------------------------ agents

    def _agents(self) -> None:
        allowlist = list(settings.BATON_PYTHON_AGENTS)
        refused: list[str] = []
        for spec in DEMO_AGENTS:
            kind_config = {"callable": f"{DEMO_MODULE}.{spec['callable']}"}
            for problem in validate_kind_config("python", kind_config, allowlist):
                if "allowlist" not in problem["message"]:
                    raise CommandError(
                        f"agent {spec['slug']}: {problem['field']}: {problem['message']}"
                    )
                refused.append(kind_config["callable"])
            values = {
                "name": spec["name"],
                "description": spec["description"],
                "capabilities": spec["capabilities"],
                "kind": "python",
                "kind_config": kind_config,
                "priority": spec["priority"],
                "enabled": True,
                # System agents (no owner), shared by staff with every team explicitly.
                "shared_with_all_teams": True,
            }
            agent = Agent.objects.filter(owner__isnull=True, slug=spec["slug"]).first()
            if agent is None:
                agent = Agent(slug=spec["slug"], **values)
                agent.clean_fields()
                agent.save()
                self._count("created")
            elif _sync(agent, values):
                agent.clean_fields()
                agent.save()
                self._count("updated")
            else:
                self._count("unchanged")
        if refused:
            self.stderr.write(
                self.style.WARNING(
                    "warning: these demo callables are not in BATON_PYTHON_AGENTS, so their "
                    "agents are registered but will be refused at run time: " + ", ".join(refused)
                )
            )

    # ------------------------------------------------------------------ canvases

    def _canvas(self, *, slug, name, description, owner, team, graph_factory, message) -> Canvas:

        values = {
            "name": name,
            "description": description,
            "owner_id": owner.pk,
            "team_id": team.pk,
        }
        canvas = Canvas.objects.filter(owner=owner, slug=slug).first()
        if canvas is None:
            canvas = Canvas(slug=slug, **values)
            canvas.clean_fields()
            canvas.save()
            self._count("created")
        elif _sync(canvas, values):
            canvas.save(update_fields=[*values, "updated"])
            self._count("updated")
        else:
            self._count("unchanged")
        if not canvas.versions.exists():
            save_version(canvas, graph_factory(), owner, message)
            self._count("created")
        return canvas

    def _canvases(self, designer, team) -> list[Canvas]:
        return [
            self._canvas(
                slug="docs-assistant",
                name="Docs assistant",
                description=(
                    "Chat with Baton's documentation and workspace statistics: a "
                    "Coordinator routes each question to docs search, workspace "
                    "statistics or the summariser."
                ),
                owner=designer,
                team=team,
                graph_factory=docs_assistant_graph,
                message="Demo: Begin → Coordinator (3 sub-agents) → Interact",
            ),
            self._canvas(
                slug="document-processing",
                name="Document processing",
                description=(
                    "Extract a document from docs/, summarise it, have a reviewer approve "
                    "the summary, then publish it (imported from "
                    "demo/plans/document_processing.yaml)."
                ),
                owner=designer,
                team=team,
                graph_factory=document_processing_graph,
                message="Demo: imported from document_processing.yaml",
            ),
        ]

    # ------------------------------------------------------------------ output

    def _count(self, what: str) -> None:
        self.counts[what] += 1

    def _report(self, logins: list[Login], canvases: list[Canvas]) -> None:
        c = self.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {c['created']} created, {c['updated']} updated, "
                f"{c['unchanged']} unchanged."
            )
        )
        self.stdout.write("Canvases: " + ", ".join(f"{cv.name} ({cv.slug})" for cv in canvases))
        self.stdout.write(f"\nOpen {self.url} and log in:")
        for login in logins:
            if login.password:
                self.stdout.write(
                    f"  {login.username:<9} password: {login.password}   "
                    "(generated; shown only now, save it)"
                )
            else:
                self.stdout.write(f"  {login.username:<9} {login.note}")
