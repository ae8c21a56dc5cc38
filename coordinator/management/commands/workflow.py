"""`manage.py workflow SUBCOMMAND`: run, follow, control, import and export workflows.

See docs/cli.md. Acts as one user (--user, default: the only superuser) and sees what that
user sees in the API. Parsing and calling only; the helpers live in coordinator/cli/.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import nullcontext, suppress
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, handle_default_options
from django.db import DatabaseError, connections, transaction

from canvas import services
from canvas.api.serializers import agents_visible_to
from canvas.canvas_yaml import canvas_from_yaml, canvas_to_yaml
from canvas.errors import InvalidDocument, Problem
from canvas.graph import compile_graph, plan_to_graph, validate_graph
from canvas.models import Agent
from canvas.plan import Plan
from canvas.yaml_io import yaml_limits
from coordinator import engine
from coordinator.cli import INTERNAL_ERROR, INTERRUPTED, RUN_DID_NOT_SUCCEED
from coordinator.cli.agents import (
    agent_report,
    agent_rows,
    create_agent,
    resolve_agent,
    route_report,
)
from coordinator.cli.follow import events_after, follow, held_dispatch
from coordinator.cli.format import clip, event_line, run_duration, run_rows, status_report
from coordinator.cli.inbox import inbox_items_for, inbox_rows, parse_json_option, resolve_item
from coordinator.cli.lookup import (
    refuse,
    resolve_canvas,
    resolve_run,
    resolve_user,
)
from coordinator.cli.monitor import monitor
from coordinator.engine.approvals import Conflict, DecisionError, decide
from coordinator.engine.sweeper import start_sweeper
from coordinator.goal_plans.service import GenerationError, generate
from coordinator.models import Conversation, Run, RunStatus, Turn
from coordinator.run_input import InvalidRunInput, begin_input_schema, input_from_arguments
from coordinator.transport import dispatch
from coordinator.workbench.preview import preview, targets

MAX_QUERY_CHARS = 20_000
MAX_INTERVENTION_CHARS = 10_000
ACTIVE = ("queued", "running", "waiting", "paused")

EMBEDDED_DETACH_NOTE = (
    "embedded mode (no REDIS_URL): nothing executes this run once this command exits. It "
    "stays queued until a Baton server (make run) on this database picks it up: the server's "
    "sweeper looks for queued runs every few seconds (it starts with the server's first task)"
)


class Command(BaseCommand):
    help = "Run, follow, control, import and export workflows (canvases). See docs/cli.md."

    # -- parsing -------------------------------------------------------------------------

    def add_arguments(self, parser):
        user_help = "act as this user (default: the only superuser)"
        parser.add_argument("--user", metavar="USERNAME", help=user_help)
        common = argparse.ArgumentParser(add_help=False)
        # Also accepted after the subcommand; SUPPRESS keeps a value given before it.
        common.add_argument("--user", metavar="USERNAME", default=argparse.SUPPRESS, help=user_help)
        # Django's own options are accepted after the subcommand too (not listed again).
        hidden = {"default": argparse.SUPPRESS, "help": argparse.SUPPRESS}
        for flag in ("--traceback", "--force-color", "--skip-checks"):
            common.add_argument(flag, action="store_true", **hidden)
        common.add_argument("-v", "--verbosity", type=int, choices=[0, 1, 2, 3], **hidden)
        common.add_argument("--settings", **hidden)
        common.add_argument("--pythonpath", **hidden)
        common.add_argument(
            "--no-color",
            action="store_true",
            default=argparse.SUPPRESS,
            help="no colours in the live view",
        )
        subs = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)

        def sub(name: str, help_: str):
            return subs.add_parser(name, parents=[common], help=help_, description=help_)

        run = sub("run", "start a run of a canvas and follow it until it ends")
        run.add_argument("canvas", metavar="CANVAS", help="canvas slug or id")
        run.add_argument("--query", default="", help="the question or task for the run")
        run.add_argument(
            "--input",
            metavar="KEY=VALUE|JSON",
            action="append",
            default=[],
            help="the run's input: KEY=VALUE (repeat it) or a JSON object; checked against "
            "the Begin node's input schema",
        )
        how = run.add_mutually_exclusive_group()
        how.add_argument(
            "--monitor", action="store_true", help="live terminal view (default on a terminal)"
        )
        how.add_argument(
            "--plain",
            action="store_true",
            help="event lines on stderr (default when not on a terminal)",
        )
        how.add_argument(
            "--detach", action="store_true", help="queue the run, print its id and return"
        )

        lst = sub("list", "recent runs you can see, newest first")
        lst.add_argument("--status", help="only these statuses, comma-separated")
        lst.add_argument(
            "--active", action="store_true", help="only queued, running, waiting and paused runs"
        )
        lst.add_argument("--canvas", metavar="CANVAS", help="only runs of this canvas (slug or id)")
        lst.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")

        status = sub("status", "detailed progress of one run")
        status.add_argument("run", metavar="RUN", help="run id (or an unambiguous prefix)")

        for name, help_ in (("pause", "pause a run"), ("cancel", "cancel a run")):
            control = sub(name, help_)
            control.add_argument("run", metavar="RUN", help="run id (or an unambiguous prefix)")
        resume = sub("resume", "resume a paused run")
        resume.add_argument("run", metavar="RUN", help="run id (or an unambiguous prefix)")
        resume.add_argument(
            "--follow", action="store_true", help="follow the run here until it ends"
        )

        intervene = sub("intervene", "give a running run a new instruction in plain text")
        intervene.add_argument("run", metavar="RUN", help="run id (or an unambiguous prefix)")
        intervene.add_argument("text", metavar="TEXT", nargs="+", help="the instruction")

        logs = sub("logs", "the run's events, one per line")
        logs.add_argument("run", metavar="RUN", help="run id (or an unambiguous prefix)")
        logs.add_argument(
            "--after", type=int, default=0, metavar="N", help="only events after seq N"
        )
        logs.add_argument("--tail", action="store_true", help="keep following until the run ends")
        logs.add_argument("--json", action="store_true", help="one JSON event message per line")

        inbox = sub("inbox", "items waiting for you: approvals, inputs, plan reviews, escalations")
        inbox.add_argument(
            "--status",
            default="pending",
            help="pending (default), decided, all, or one status such as approved",
        )
        inbox.add_argument(
            "--kind", choices=["approval", "input", "plan_review", "escalation"], help="only these"
        )
        inbox.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")

        decide_ = sub("decide", "decide an inbox item")
        decide_.add_argument("item", metavar="ITEM", help="item id (or an unambiguous prefix)")
        verdict = decide_.add_mutually_exclusive_group(required=True)
        verdict.add_argument("--approve", action="store_true", help="approve (escalations: retry)")
        verdict.add_argument(
            "--reject", action="store_true", help="reject (escalations: abort); needs --comment"
        )
        verdict.add_argument(
            "--edit",
            metavar="JSON",
            help='approve with edits, e.g. \'{"summarize": {"summary": "…"}}\'',
        )
        verdict.add_argument(
            "--respond",
            metavar="JSON_OR_TEXT",
            help="input items: the form's answer as a JSON object; others: an instruction",
        )
        decide_.add_argument("--comment", default="", help="your reason or note")

        imp = sub("import", "import a plan YAML or workflow.yaml as a canvas")
        imp.add_argument("file", metavar="FILE", help="the YAML file ('-' for standard input)")
        imp.add_argument("--name", help="name of the new canvas (default: the plan's name)")
        imp.add_argument(
            "--canvas", metavar="CANVAS", help="save as a new version of this canvas instead"
        )

        gen = sub("generate", "write a plan for a goal (printed as YAML, or saved as a canvas)")
        gen.add_argument("goal", metavar="GOAL", help="what the workflow should achieve")
        gen.add_argument("--approval", action="store_true", help="require a human approval step")
        gen.add_argument("--max-steps", type=int, default=10, help="at most this many steps")
        gen.add_argument(
            "--agents", metavar="SLUGS", help="only these agents, comma-separated (default: all)"
        )
        gen.add_argument("--deadline", type=float, metavar="MINUTES", help="time the run may take")
        gen.add_argument("--model", help="the model that plans (default: BATON_DEFAULT_MODEL)")
        gen.add_argument("--create", action="store_true", help="save the plan as a new canvas too")
        gen.add_argument("--name", help="name of the new canvas (with --create)")

        exp = sub("export", "print a canvas's plan as YAML")
        exp.add_argument("canvas", metavar="CANVAS", help="canvas slug or id")
        exp.add_argument(
            "--output", "-o", metavar="FILE", help="write to this file instead of stdout"
        )

        agent = sub("agent", "the agent registry: list, show, create")
        agent_subs = agent.add_subparsers(dest="agent_command", metavar="ACTION", required=True)
        agent_subs.add_parser("list", parents=[common], help="agents you can see")
        show = agent_subs.add_parser(
            "show", parents=[common], help="one agent: description, examples, usage, check"
        )
        show.add_argument("slug", metavar="SLUG")
        create = agent_subs.add_parser("create", parents=[common], help="register an agent")
        create.add_argument("--slug", required=True)
        create.add_argument("--name", help="display name (default: the slug)")
        create.add_argument("--kind", default="llm", help="llm, http, python or canvas")
        create.add_argument("--description", required=True)
        create.add_argument("--kind-config", metavar="JSON", default="{}", help="a JSON object")
        create.add_argument("--capability", action="append", default=[], help="repeatable")
        create.add_argument("--example", action="append", default=[], help="repeatable")
        create.add_argument("--counter-example", action="append", default=[], help="repeatable")
        create.add_argument("--priority", type=int, default=0)
        create.add_argument("--disabled", action="store_true", help="create it disabled")

        route = sub("route", "where a query would be routed, and why (nothing runs)")
        route.add_argument("query", metavar="QUERY")
        route.add_argument("--canvas", metavar="CANVAS", help="route between this canvas's agents")
        route.add_argument(
            "--model",
            default="baton/local",
            help="baton/local (default), or 'configured' for the canvas coordinator's model",
        )

    def run_from_argv(self, argv):
        """Django's, with one-line errors ("error: …") and the documented exit codes."""
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            if getattr(options, "traceback", False):
                raise
            self.stderr.write(f"error: {exc}")
            sys.exit(exc.returncode)
        except KeyboardInterrupt:
            self.stderr.write("interrupted")
            sys.exit(INTERRUPTED)
        except Exception as exc:
            if getattr(options, "traceback", False):
                raise
            hint = "--traceback for details"
            missing = ("no such table", "does not exist")  # SQLite, PostgreSQL
            if isinstance(exc, DatabaseError) and any(m in str(exc) for m in missing):
                hint = "has `manage.py migrate` been run on this database?"
            self.stderr.write(f"error: {type(exc).__name__}: {clip(exc, 300)} ({hint})")
            sys.exit(INTERNAL_ERROR)
        finally:
            with suppress(Exception):  # closing is best effort on the way out
                connections.close_all()

    def handle(self, *args, **options):
        self.options = options
        self.user = resolve_user(options.get("user"))
        getattr(self, "do_" + options["subcommand"])(options)

    # -- running and following -------------------------------------------------------------

    def do_run(self, o):
        canvas = resolve_canvas(o["canvas"], self.user)
        query = o["query"]
        if len(query) > MAX_QUERY_CHARS:
            raise refuse(f"--query is {len(query):,} characters; the limit is {MAX_QUERY_CHARS:,}")
        version = canvas.current_version()
        try:
            data = input_from_arguments(o["input"], begin_input_schema(version and version.graph))
        except ValueError as exc:
            raise refuse(str(exc)) from None
        with held_dispatch() if o["detach"] else nullcontext():
            try:
                run = self._start(canvas, query, data)
            except InvalidDocument as exc:
                self._problems(exc.problems)
                raise refuse(f"canvas {canvas.slug} cannot run: {exc.summary}") from None
            except InvalidRunInput as exc:
                for error in exc.errors:
                    self.stderr.write(f"  {error['field']}: {error['message']}")
                raise refuse(f"--input does not fit canvas {canvas.slug}'s input: {exc}") from None
        if o["detach"]:
            self.stdout.write(str(run.pk))
            if not dispatch.is_distributed():
                self.stderr.write(EMBEDDED_DETACH_NOTE + ".")
            self.stderr.write(f"follow it with: manage.py workflow logs {run.pk} --tail")
            return
        self._follow(run, after=0)

    def _start(self, canvas, query: str, data: dict) -> Run:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                canvas=canvas, owner=self.user, title=query[:200]
            )
            run = engine.start_run(
                canvas,
                user=self.user,
                query=query,
                input=data,
                conversation=conversation,
                trigger="cli",
            )
            if query:
                Turn.objects.create(conversation=conversation, run=run, role="user", content=query)
        return run

    def _monitoring(self) -> bool:
        o = self.options
        if o.get("monitor"):
            return True
        return not o.get("plain") and self.stdout.isatty()

    def _follow(self, run: Run, after: int) -> None:
        """Follow until the run ends; the answer on stdout; exit 1 unless it succeeded."""
        if not dispatch.is_distributed() and settings.BATON_SWEEPER:
            start_sweeper()  # embedded: this process runs the steps, so it also repairs them
        run = Run.objects.select_related("canvas").get(pk=run.pk)
        try:
            if self._monitoring():
                from rich.console import Console

                console = Console(
                    file=self.stdout._out, no_color=bool(self.options.get("no_color"))
                )
                ended = monitor(run, console, after=after)
            else:
                self.stderr.write(f"run {run.pk} of {run.canvas.slug}")
                ended = follow(run.pk, after, self._plain_event)
                answer = (ended.result or {}).get("answer")
                rejected = ended.status != RunStatus.SUCCEEDED and ended.approvals.filter(
                    status__in=("rejected", "expired")
                )
                if answer and not rejected:  # a rejected run's "answer" was turned down
                    self.stdout.write(answer)
        except KeyboardInterrupt:
            self._interrupted(run)
        summary = f"run {ended.pk} {ended.status} in {run_duration(ended)}"
        if ended.status != RunStatus.SUCCEEDED:
            reason = f": {clip(ended.error, 300)}" if ended.error else ""
            raise CommandError(summary + reason, returncode=RUN_DID_NOT_SUCCEED)
        self.stderr.write(summary)

    def _plain_event(self, message: dict) -> None:
        if message["type"] != "agent.delta":
            self.stderr.write(event_line(message))

    def _interrupted(self, run: Run) -> None:
        status = Run.objects.values_list("status", flat=True).get(pk=run.pk)
        self.stderr.write(f"\nstopped following run {run.pk} ({status}).")
        if dispatch.is_distributed():
            self.stderr.write("The workers carry on with it; `workflow cancel` stops it.")
            raise CommandError("interrupted", returncode=INTERRUPTED)
        self.stderr.write(
            "Embedded mode: steps this process had started are retried by a Baton server's "
            f"sweeper once their claims expire; `workflow cancel {run.pk}` stops the run."
        )
        sys.stdout.flush()
        sys.stderr.flush()
        # The thread pool would otherwise finish the run before the interpreter could exit.
        os._exit(INTERRUPTED)

    # -- reading -----------------------------------------------------------------------------

    def do_list(self, o):
        runs = Run.objects.visible_to(self.user).select_related("canvas")
        if o["canvas"]:
            runs = runs.filter(canvas=resolve_canvas(o["canvas"], self.user))
        wanted = [s.strip() for s in (o["status"] or "").split(",") if s.strip()]
        unknown = sorted(set(wanted) - set(RunStatus.values))
        if unknown:
            raise refuse(f"unknown status {', '.join(unknown)}; use {', '.join(RunStatus.values)}")
        if o["active"]:
            wanted = [s for s in wanted if s in ACTIVE] if wanted else list(ACTIVE)
        if wanted:
            runs = runs.filter(status__in=wanted)
        if not 1 <= o["limit"] <= 1000:
            raise refuse("--limit must be between 1 and 1000")
        found = list(runs.order_by("-created")[: o["limit"]])
        if not found:
            self.stderr.write(f"no runs visible to {self.user.username}")
            return
        for line in run_rows(found):
            self.stdout.write(line)

    def do_status(self, o):
        self.stdout.write(status_report(resolve_run(o["run"], self.user)))

    def do_logs(self, o):
        run = resolve_run(o["run"], self.user)
        if o["after"] < 0:
            raise refuse("--after must be 0 or more")

        def write(message: dict) -> None:
            self.stdout.write(json.dumps(message) if o["json"] else event_line(message))

        if o["tail"]:
            follow(run.pk, o["after"], write)
            return
        after = o["after"]
        while batch := events_after(run.pk, after):
            for message in batch:
                write(message)
            after = batch[-1]["seq"]

    # -- controls --------------------------------------------------------------------------

    def _control(self, o, fn, *args):
        run = resolve_run(o["run"], self.user)
        try:
            fn(run, *args, user=self.user)
        except engine.ControlError as exc:
            raise refuse(str(exc)) from None
        run.refresh_from_db()
        return run

    def do_pause(self, o):
        run = self._control(o, engine.pause)
        self.stdout.write(f"run {run.pk} {run.status}")

    def do_cancel(self, o):
        run = self._control(o, engine.cancel)
        self.stdout.write(f"run {run.pk} {run.status}")

    def do_resume(self, o):
        with nullcontext() if o["follow"] else held_dispatch():
            run = self._control(o, engine.resume)
        self.stdout.write(f"run {run.pk} {run.status}")
        if o["follow"]:
            self._follow(run, after=run.event_seq)
        elif not dispatch.is_distributed():
            self.stderr.write(
                "embedded mode: the run moves on when a Baton process on this database sweeps "
                "it (a server, or a `workflow run` still following it); "
                "or run it here with `workflow resume --follow`."
            )

    def do_intervene(self, o):
        text = " ".join(o["text"]).strip()
        if not text:
            raise refuse("the intervention text is empty")
        if len(text) > MAX_INTERVENTION_CHARS:
            raise refuse(
                f"the text is {len(text):,} characters; the limit is {MAX_INTERVENTION_CHARS:,}"
            )
        run = self._control(o, engine.intervene, text)
        self.stdout.write(
            f"run {run.pk} {run.status}: intervention {len(run.interventions)} recorded"
        )

    # -- the inbox ---------------------------------------------------------------------------

    def do_inbox(self, o):

        if not 1 <= o["limit"] <= 1000:
            raise refuse("--limit must be between 1 and 1000")
        items = inbox_items_for(self.user, o["status"], o["kind"], o["limit"])
        if not items:
            self.stderr.write(f"nothing in {self.user.username}'s inbox ({o['status']})")
            return
        for line in inbox_rows(items):
            self.stdout.write(line)

    def do_decide(self, o):

        item = resolve_item(o["item"], self.user)
        kwargs = {"comment": o["comment"]}
        if o["approve"]:
            kwargs["action"] = "approve"
        elif o["reject"]:
            kwargs["action"] = "reject"
        elif o["edit"] is not None:
            kwargs.update(action="edit", edits=parse_json_option("--edit", o["edit"]))
        elif item.kind == "input":
            kwargs.update(action="respond", response=parse_json_option("--respond", o["respond"]))
        else:
            kwargs.update(action="respond", comment=o["respond"])
        try:
            item = decide(item, self.user, **kwargs)
        except Conflict as exc:
            raise refuse(f"item {item.pk}: {exc}") from None
        except DecisionError as exc:
            raise refuse(str(exc)) from None
        if item.status == "pending":
            done = item.entries.filter(action="approved").count()
            self.stdout.write(
                f"item {item.pk} approved by {self.user.username}: "
                f"{done} of {item.required_approvals} approvals"
            )
            return
        self.stdout.write(f"item {item.pk} {item.status} by {self.user.username}")

    # -- import and export -------------------------------------------------------------------

    def _problems(self, problems: list[Problem], prefix: str = "") -> None:
        for p in problems:
            where = p.field or "document"
            if p.node:
                where += f" (node {p.node})"
            if p.edge:
                where += f" (edge {p.edge})"
            label = "warning: " if p.severity == "warning" else ""
            self.stderr.write(f"  {prefix}{label}{where}: {p.message}")

    # -- agents and routing ----------------------------------------------------------------

    def do_agent(self, o):
        action = o["agent_command"]
        if action == "list":
            for line in agent_rows(self.user):
                self.stdout.write(line)
        elif action == "show":
            for line in agent_report(resolve_agent(o["slug"], self.user), self.user):
                self.stdout.write(line)
        else:
            try:
                kind_config = json.loads(o["kind_config"])
            except json.JSONDecodeError as exc:
                raise refuse(f"--kind-config is not valid JSON: {exc}") from None
            agent = create_agent(
                self.user,
                {
                    "slug": o["slug"],
                    "name": o["name"] or o["slug"],
                    "kind": o["kind"],
                    "kind_config": kind_config,
                    "description": o["description"],
                    "capabilities": o["capability"],
                    "examples": o["example"],
                    "counter_examples": o["counter_example"],
                    "priority": o["priority"],
                    "enabled": not o["disabled"],
                },
            )
            self.stdout.write(f"created agent {agent.slug}")

    def do_route(self, o):
        if not o["query"].strip():
            raise refuse("QUERY is empty")
        if len(o["query"]) > MAX_QUERY_CHARS:
            raise refuse(f"QUERY is over {MAX_QUERY_CHARS:,} characters")
        canvas = resolve_canvas(o["canvas"], self.user) if o["canvas"] else None
        candidates = agents_visible_to(self.user).filter(enabled=True)
        agents, config = targets(candidates, canvas)
        if not agents:
            raise refuse("no enabled agents to route between")
        model = o["model"]
        if model == "configured":
            model = config.model or settings.BATON_DEFAULT_MODEL
        for line in route_report(preview(o["query"], agents, config, model)):
            self.stdout.write(line)

    def do_import(self, o):
        target = resolve_canvas(o["canvas"], self.user) if o["canvas"] else None
        path = o["file"]
        limit = yaml_limits()["max_bytes"]
        try:
            if path == "-":
                text = sys.stdin.buffer.read(limit + 1)
            else:
                with open(path, "rb") as handle:
                    text = handle.read(limit + 1)
        except OSError as exc:
            raise refuse(f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            plan, graph = canvas_from_yaml(text, **yaml_limits())
        except InvalidDocument as exc:
            self.stderr.write(f"{path}: {exc.summary}")
            self._problems(exc.problems)
            raise refuse(f"{path} was not imported: {len(exc.problems)} problem(s)") from None
        enabled = set(
            Agent.objects.filter(enabled=True).usable_by(self.user).values_list("slug", flat=True)
        )
        warnings = validate_graph(graph, known_agents=enabled)
        refused = [w for w in warnings if w.field == "data.config.agent"]
        if refused:  # never saved to match someone else's agent later
            self._problems(refused)
            raise refuse(f"{path} was not imported: it names agents you may not use")
        name = Path(path).name if path != "-" else "stdin"
        if target is not None:
            version = services.save_version(target, graph, self.user, f"Imported from {name}")
            canvas, number = target, version.number
        else:
            canvas = services.create_canvas(
                owner=self.user,
                name=o["name"] or plan.name,
                description=plan.description,
                graph=graph,
                message=f"Imported from {name}",
            )
            number = canvas.latest_version
        if warnings:
            self.stderr.write(
                f"canvas {canvas.slug} was saved, but has {len(warnings)} problem(s) to fix "
                "(in the editor, or in the file and import it again) before it can run:"
            )
            self._problems(warnings)
        verb = "saved as" if target is not None else "imported as"
        self.stdout.write(f"{verb} canvas {canvas.slug} ({canvas.pk}) version {number}")

    def do_generate(self, o):

        if not 1 <= o["max_steps"] <= 50:
            raise refuse("--max-steps must be between 1 and 50")
        if o["deadline"] is not None and o["deadline"] <= 0:
            raise refuse("--deadline must be a positive number of minutes")
        agents = [a.strip() for a in (o["agents"] or "").split(",") if a.strip()] or None
        try:
            result = generate(
                o["goal"],
                user=self.user,
                require_human_approval=o["approval"],
                max_steps=o["max_steps"],
                available_agents=agents,
                deadline_minutes=o["deadline"],
                model=o["model"],
            )
        except GenerationError as exc:
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            raise refuse(f"no plan: {exc.message}") from None
        for step in result["steps"]:
            self.stderr.write(
                f"# {step['id']} (~{step['estimated_seconds']:g}s, {step['estimate_source']}): "
                f"{step['why']}"
            )
        self.stderr.write(f"# estimated duration: {result['estimated_seconds']:g}s")
        for warning in result["warnings"]:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(result["yaml"], ending="")
        if o["create"]:
            plan = Plan.model_validate(result["plan"])
            canvas = services.create_canvas(
                owner=self.user,
                name=o["name"] or plan.name,
                description=plan.description[:5000],
                graph=plan_to_graph(plan),
                message="Generated from a goal",
            )
            self.stderr.write(f"created canvas {canvas.slug} ({canvas.pk})")

    def do_export(self, o):
        canvas = resolve_canvas(o["canvas"], self.user)
        graph = services.latest_graph(canvas) or {"nodes": [], "edges": []}
        try:
            compile_graph(graph, canvas.name, canvas.description)
        except InvalidDocument as exc:
            self.stderr.write(f"canvas {canvas.slug}: {exc.summary}")
            self._problems(exc.problems)
            raise refuse(f"canvas {canvas.slug} does not compile to a plan") from None
        text = canvas_to_yaml(graph, canvas.name, canvas.description)
        if not o["output"]:
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")
            return
        try:
            Path(o["output"]).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise refuse(f"cannot write {o['output']}: {exc.strerror or exc}") from None
        self.stderr.write(
            f"wrote {o['output']} (canvas {canvas.slug} version {canvas.latest_version})"
        )
