"""The agent registry's admin, a workbench for descriptions: usage columns, a live
description check, example queries, the routing preview, and routing test sets.

Registered here (not in canvas/admin.py) because it uses the router and the runs."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from canvas.models import MAX_EXAMPLE_CHARS, MAX_EXAMPLES, Agent, Canvas
from coordinator.models import RoutingCase, RoutingTestRun, RoutingTestSet
from coordinator.offline import router
from coordinator.transport import dispatch
from coordinator.workbench import description_check, test_sets
from coordinator.workbench.evaluation import LOCAL_MODEL
from coordinator.workbench.preview import coordinator_config, preview, targets
from coordinator.workbench.usage import WINDOWS, canvases_by_agent, usage_by_agent

MAX_CHECK_BODY_CHARS = 60_000


def candidate_agents(request):
    """The agents a description is compared with and routed between. Every enabled agent
    today; once agents have tenants, the ones visible to the admin (one place to change)."""
    return Agent.objects.filter(enabled=True)


class LinesField(forms.CharField):
    """A list of short strings edited as one per line."""

    widget = forms.Textarea(attrs={"rows": 5, "cols": 100, "style": "width: 100%;"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        lines = [line.strip() for line in (value or "").splitlines()]
        return [line for line in lines if line]

    def validate(self, value):
        if len(value) > MAX_EXAMPLES:
            raise forms.ValidationError(f"At most {MAX_EXAMPLES} lines.")
        for i, line in enumerate(value, 1):
            if len(line) > MAX_EXAMPLE_CHARS:
                raise forms.ValidationError(
                    f"Line {i} is longer than {MAX_EXAMPLE_CHARS} characters."
                )


class AgentAdminForm(forms.ModelForm):
    examples = LinesField(
        required=False,
        label="Example queries",
        help_text="Requests this agent should get, one per line. Routing learns from them.",
    )
    counter_examples = LinesField(
        required=False,
        label="Counter-examples",
        help_text="Requests that look like this agent's but belong elsewhere, one per line.",
    )

    class Meta:
        model = Agent
        fields = [
            "slug",
            "name",
            "description",
            "examples",
            "counter_examples",
            "capabilities",
            "enabled",
            "kind",
            "kind_config",
            "priority",
            "max_concurrency",
            "fallback",
            "owner",
            "team",
            "shared_with_all_teams",
        ]
        widgets = {
            "description": forms.Textarea(
                attrs={"rows": 14, "cols": 100, "style": "width: 100%; font-size: 1rem;"}
            ),
        }


class AgentChangeList(ChangeList):
    """Loads the page's usage figures, canvases and description badges in a fixed number
    of queries, whatever the number of rows."""

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)  # evaluates (and caches) the page's queryset
        slugs = [a.slug for a in rows]
        usage = usage_by_agent(slugs)
        canvases = canvases_by_agent(slugs)
        pool = test_sets.profiles_for(candidate_agents(request))
        by_slug = {p.slug: p for p in pool}
        for agent in rows:
            agent.page_usage = usage[agent.slug]
            agent.page_canvases = canvases.get(agent.slug, [])
            draft = by_slug.get(agent.slug) or _profile(agent)
            agent.page_findings = description_check.check(draft, pool, route_examples=False)


def _profile(agent: Agent) -> router.AgentProfile:
    return router.AgentProfile(
        slug=agent.slug,
        name=agent.name,
        description=agent.description,
        capabilities=list(agent.capabilities or []),
        enabled=agent.enabled,
        examples=list(agent.examples or []),
        counter_examples=list(agent.counter_examples or []),
    )


def _pair(agent, render) -> str:
    return "/".join(render(agent.page_usage[days]) for days in WINDOWS)


def _latency(ms: float) -> str:
    return f"{ms:.0f}ms" if ms < 1000 else f"{ms / 1000:.1f}s"


def _percent(value) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    """Validation (kind config, capabilities, examples, fallback) is Agent.clean()."""

    form = AgentAdminForm
    list_display = (
        "slug",
        "name",
        "kind",
        "enabled",
        "priority",
        "invocations",
        "success_rate",
        "p50_latency",
        "cost",
        "canvases",
        "quality",
    )
    list_filter = ("kind", "enabled", "shared_with_all_teams")
    list_editable = ("enabled",)
    search_fields = ("slug", "name", "description")
    list_select_related = ("owner",)
    autocomplete_fields = ("fallback",)
    raw_id_fields = ("owner",)
    readonly_fields = ("test_set_results", "created", "updated")
    fieldsets = (
        (None, {"fields": ("slug", "name", "description", "enabled")}),
        (
            "Routing",
            {
                "fields": ("examples", "counter_examples", "capabilities", "test_set_results"),
                "description": "The router learns from example queries; test sets that "
                "include this agent re-run in the background when you save it.",
            },
        ),
        (
            "Execution",
            {"fields": ("kind", "kind_config", "priority", "max_concurrency", "fallback")},
        ),
        (
            "Ownership",
            {"fields": ("owner", "team", "shared_with_all_teams", "created", "updated")},
        ),
    )
    change_form_template = "admin/canvas/agent/change_form.html"
    change_list_template = "admin/canvas/agent/change_list.html"

    class Media:
        js = ("workbench/agent_form.js",)
        css = {"all": ("workbench/workbench.css",)}

    def get_changelist(self, request, **kwargs):
        return AgentChangeList

    # -- list columns (figures loaded by AgentChangeList) ---------------------------------

    @admin.display(description="calls 7d/30d")
    def invocations(self, agent):
        return _pair(agent, lambda u: str(u.invocations))

    @admin.display(description="ok 7d/30d")
    def success_rate(self, agent):
        return _pair(agent, lambda u: _percent(u.success_rate))

    @admin.display(description="p50 7d/30d")
    def p50_latency(self, agent):
        return _pair(agent, lambda u: "–" if u.p50_ms is None else _latency(u.p50_ms))

    @admin.display(description="cost 7d/30d")
    def cost(self, agent):
        return _pair(agent, lambda u: f"${u.cost_usd:.2f}")

    @admin.display(description="canvases")
    def canvases(self, agent):
        names = agent.page_canvases
        return ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "") or "–"

    @admin.display(description="check")
    def quality(self, agent):
        findings = agent.page_findings
        if not findings:
            return format_html('<span class="wb-badge wb-good">good</span>')
        return format_html(
            '<span class="wb-badge wb-warn" title="{}">{} to fix</span>',
            "; ".join(f.message for f in findings),
            len(findings),
        )

    # -- change form ----------------------------------------------------------------------

    @admin.display(description="routing test sets")
    def test_set_results(self, agent):
        if agent is None or agent.pk is None:
            return "–"
        rows = test_sets.regressions_for(agent.slug)
        if not rows:
            return "No test set includes this agent."
        return format_html_join("", "{}", ((_regression_html(r),) for r in rows))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if test_sets_include(obj.slug):
            dispatch.enqueue("rerun_routing_sets", obj.slug)
            messages.info(
                request,
                "The routing test sets that include this agent are re-running in the "
                "background; the change page shows what changed.",
            )

    # -- extra pages ----------------------------------------------------------------------

    def get_urls(self):
        own = [
            path(
                "check/",
                self.admin_site.admin_view(self.check_view),
                name="canvas_agent_check",
            ),
            path("try/", self.admin_site.admin_view(self.try_view), name="canvas_agent_try"),
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="canvas_agent_preview",
            ),
        ]
        return own + super().get_urls()

    def check_view(self, request):
        """POST a draft agent (JSON) → its description findings (JSON)."""
        if request.method != "POST":
            return JsonResponse({"detail": "POST a draft agent as JSON."}, status=405)
        if not self.has_view_permission(request):
            raise PermissionDenied
        draft, error = _draft_from(request)
        if error:
            return JsonResponse(error, status=400)
        pool = test_sets.profiles_for(candidate_agents(request))
        findings = description_check.check(draft, pool)
        return JsonResponse(
            {
                "quality": description_check.quality(findings),
                "findings": [f.as_dict() for f in findings],
            }
        )

    def try_view(self, request):
        """POST a draft agent and a query (JSON) → where the query routes with the draft in
        place of the stored agent."""
        if request.method != "POST":
            return JsonResponse({"detail": "POST a draft agent and a query as JSON."}, status=405)
        if not self.has_view_permission(request):
            raise PermissionDenied
        draft, error = _draft_from(request)
        if error:
            return JsonResponse(error, status=400)
        query = json.loads(request.body).get("query")
        if not isinstance(query, str) or not query.strip():
            return JsonResponse({"query": ["required (a non-empty string)"]}, status=400)
        pool = [
            p for p in test_sets.profiles_for(candidate_agents(request)) if p.slug != draft.slug
        ]
        agents = sorted([*pool, draft], key=lambda a: a.slug)
        decision = router.route(query, agents)
        complexity = router.analyse_complexity(query, agents)
        return JsonResponse(
            {
                "level": decision.level,
                "agents": decision.agents,
                "reasons": decision.reasons,
                "candidates": [
                    {"slug": c.slug, "score": c.score, "reason": c.reason}
                    for c in complexity.candidates
                ],
            }
        )

    def preview_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PreviewForm(request.POST or None, initial=request.GET.dict() or None)
        form.fields["agents"].queryset = candidate_agents(request)
        result = None
        if request.method == "POST" and form.is_valid():
            result = _run_preview(request, form.cleaned_data)
        context = {
            **self.admin_site.each_context(request),
            "title": "Routing preview",
            "opts": self.model._meta,
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/canvas/agent/preview.html", context)


def test_sets_include(slug: str) -> bool:
    return RoutingTestSet.objects.filter(agents__slug=slug).exists()


def _draft_from(request) -> tuple[router.AgentProfile | None, dict | None]:
    body = request.body.decode("utf-8", "replace")
    if len(body) > MAX_CHECK_BODY_CHARS:
        return None, {"detail": f"body over {MAX_CHECK_BODY_CHARS} characters"}
    try:
        data = json.loads(body or "{}")
    except json.JSONDecodeError as exc:
        return None, {"detail": f"not JSON: {exc}"}
    if not isinstance(data, dict):
        return None, {"detail": "expected a JSON object"}
    errors = {}
    strings = {}
    for key in ("slug", "name", "description"):
        value = data.get(key, "")
        if not isinstance(value, str):
            errors[key] = ["must be a string"]
        strings[key] = value if isinstance(value, str) else ""
    lists = {}
    for key in ("capabilities", "examples", "counter_examples"):
        value = data.get(key, [])
        if isinstance(value, str):
            value = [line.strip() for line in value.splitlines() if line.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors[key] = ["must be a list of strings (or lines of text)"]
            value = []
        lists[key] = value[:MAX_EXAMPLES]
    if errors:
        return None, errors
    draft = router.AgentProfile(
        slug=strings["slug"] or "(new agent)",
        name=strings["name"],
        description=strings["description"],
        capabilities=lists["capabilities"],
        examples=lists["examples"],
        counter_examples=lists["counter_examples"],
    )
    return draft, None


class PreviewForm(forms.Form):
    query = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 80}), max_length=20_000)
    canvas = forms.ModelChoiceField(
        queryset=Canvas.objects.order_by("name"),
        required=False,
        help_text="Route between this canvas's coordinator agents, with its configuration.",
    )
    agents = forms.ModelMultipleChoiceField(
        queryset=Agent.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Or pick agents (default: every enabled agent).",
    )
    model = forms.ChoiceField(
        choices=[("local", "baton/local (offline)"), ("configured", "the configured model")],
        initial="local",
        help_text="The configured model is the canvas coordinator's, else BATON_DEFAULT_MODEL.",
    )

    def clean(self):
        data = super().clean()
        if data.get("canvas") and data.get("agents"):
            raise forms.ValidationError("Pick a canvas or agents, not both.")
        canvas = data.get("canvas")
        if canvas is not None and coordinator_config(canvas) is None:
            self.add_error("canvas", "This canvas has no coordinator with sub-agents.")
        return data


def _run_preview(request, data: dict) -> dict:
    from django.conf import settings

    slugs = [a.slug for a in data["agents"]] if data.get("agents") else None
    agents, config = targets(candidate_agents(request), data.get("canvas"), slugs)
    model = LOCAL_MODEL
    if data["model"] == "configured":
        model = config.model or settings.BATON_DEFAULT_MODEL
    result = preview(data["query"], agents, config, model)
    result["considered"] = [a.slug for a in agents]
    return result


def _regression_html(row: dict) -> str:
    run: RoutingTestRun = row["run"]
    url = reverse("admin:coordinator_routingtestset_change", args=[row["set"].pk])
    if run.status != "done":
        state = "running…" if run.status == "running" else f"failed: {run.error}"
        return format_html('<p><a href="{}">{}</a>: {}</p>', url, row["set"].name, state)
    figures = ", ".join(
        f"{k.replace('_accuracy', '')} {run.figures.get(k)}" for k in test_sets.ACCURACIES
    )
    parts = [format_html('<p><a href="{}">{}</a>: {}</p>', url, row["set"].name, figures)]
    if row["dropped"]:
        dropped = ", ".join(f"{k} {a} → {b}" for k, (a, b) in row["dropped"].items())
        parts.append(
            format_html(
                '<div class="wb-regression"><strong>Accuracy dropped after the last save'
                "{}</strong>: {}</div>",
                f" of {run.agent}" if run.agent else "",
                dropped,
            )
        )
    if row["now_failing"]:
        parts.append(
            format_html(
                '<ul class="wb-changed">{}</ul>',
                format_html_join(
                    "",
                    "<li>now fails: {} (was {}, now {})</li>",
                    (
                        (
                            c["query"],
                            ", ".join(c["before"]) or "none",
                            ", ".join(c["after"]) or "none",
                        )
                        for c in row["now_failing"]
                    ),
                ),
            )
        )
    if row["now_passing"]:
        parts.append(
            format_html(
                '<ul class="wb-changed">{}</ul>',
                format_html_join(
                    "", "<li>now passes: {}</li>", ((c["query"],) for c in row["now_passing"])
                ),
            )
        )
    return format_html_join("", "{}", ((p,) for p in parts))


# ------------------------------------------------------------------------ test sets


class RoutingCaseInline(admin.TabularInline):
    model = RoutingCase
    fields = ("query", "level", "expected_agents")
    extra = 1


class ImportForm(forms.Form):
    name = forms.CharField(max_length=100)
    file = forms.FileField(help_text="A bench_routing JSON document: {agents: […], cases: […]}.")
    create_missing = forms.BooleanField(
        required=False, help_text="Create agents the registry does not have, from the file."
    )
    replace = forms.BooleanField(required=False, help_text="Replace a set with the same name.")


@admin.register(RoutingTestSet)
class RoutingTestSetAdmin(admin.ModelAdmin):
    list_display = ("name", "case_count", "last_figures", "updated")
    search_fields = ("name", "about")
    filter_horizontal = ("agents",)
    inlines = [RoutingCaseInline]
    actions = ["run_sets"]
    readonly_fields = ("latest_run",)
    change_list_template = "admin/coordinator/routingtestset/change_list.html"

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_cases=Count("cases"))

    @admin.display(description="cases", ordering="n_cases")
    def case_count(self, obj):
        return obj.n_cases

    @admin.display(description="last run")
    def last_figures(self, obj):
        run = obj.runs.order_by("-created", "-id").first()
        if run is None:
            return "never run"
        if run.status != "done":
            return run.status
        f = run.figures
        return (
            f"level {f.get('level_accuracy')} · set {f.get('agent_set_accuracy')} · "
            f"top-1 {f.get('top1_accuracy')} · none {f.get('none_accuracy')}"
        )

    @admin.display(description="latest run")
    def latest_run(self, obj):
        run = obj.runs.order_by("-created", "-id").first() if obj.pk else None
        if run is None:
            return "never run"
        url = reverse("admin:coordinator_routingtestrun_change", args=[run.pk])
        return format_html('<a href="{}">{}</a> — {}', url, run, self.last_figures(obj))

    @admin.action(description="Run the selected test sets now")
    def run_sets(self, request, queryset):
        for test_set in queryset:
            run = test_sets.run_set(test_set, trigger="admin")
            messages.info(request, f"{test_set.name}: {self.last_figures(test_set)} ({run.status})")

    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="coordinator_routingtestset_import",
            ),
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(self.export_view),
                name="coordinator_routingtestset_export",
            ),
        ]
        return own + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                data = json.loads(form.cleaned_data["file"].read().decode("utf-8"))
                with transaction.atomic():
                    test_set = test_sets.import_set(
                        data,
                        form.cleaned_data["name"],
                        create_missing=form.cleaned_data["create_missing"],
                        replace=form.cleaned_data["replace"],
                    )
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                form.add_error("file", f"not a JSON document: {exc}")
            except test_sets.TestSetError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Imported {test_set.name}.")
                return redirect("admin:coordinator_routingtestset_change", test_set.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a routing test set",
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/coordinator/routingtestset/import.html", context)

    def export_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        test_set = get_object_or_404(RoutingTestSet, pk=pk)
        response = HttpResponse(
            json.dumps(test_sets.export_set(test_set), indent=2, ensure_ascii=False),
            content_type="application/json",
        )
        response["Content-Disposition"] = f'attachment; filename="{test_set.name}.json"'
        return response


@admin.register(RoutingTestRun)
class RoutingTestRunAdmin(admin.ModelAdmin):
    list_display = ("test_set", "status", "trigger", "agent", "created")
    list_filter = ("status", "trigger")
    list_select_related = ("test_set",)
    fields = (
        "test_set",
        "status",
        "trigger",
        "agent",
        "model",
        "created",
        "finished_at",
        "error",
        "pretty_figures",
        "pretty_confusion",
        "pretty_misses",
    )
    readonly_fields = fields

    def _pre(self, value):
        return format_html(
            '<pre style="max-height: 40em; overflow: auto;">{}</pre>',
            json.dumps(value, indent=2, ensure_ascii=False),
        )

    @admin.display(description="figures")
    def pretty_figures(self, obj):
        return self._pre(obj.figures)

    @admin.display(description="per-agent confusion")
    def pretty_confusion(self, obj):
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    slug,
                    row["expected"],
                    row["selected"],
                    row["unexpected"],
                    ", ".join(f"{k} ×{n}" for k, n in sorted(row["instead"].items())) or "–",
                )
                for slug, row in obj.agent_confusion.items()
            ),
        )
        return format_html(
            '<table class="wb-confusion"><thead><tr><th>agent</th><th>expected</th>'
            "<th>selected when expected</th><th>selected when not expected</th>"
            "<th>chosen instead</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="misses, with the router's reasons")
    def pretty_misses(self, obj):
        return (
            format_html_join(
                "",
                '<div class="wb-miss"><strong>{}</strong><br>expected {} {}, got {} {}'
                "<ul>{}</ul></div>",
                (
                    (
                        m["query"],
                        m["expected"]["level"],
                        ", ".join(m["expected"]["agents"]) or "no agent",
                        m["got"]["level"],
                        ", ".join(m["got"]["agents"]) or "no agent",
                        format_html_join("", "<li>{}</li>", ((r,) for r in m.get("reasons", []))),
                    )
                    for m in obj.misses
                ),
            )
            or "none"
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
