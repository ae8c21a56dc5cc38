"""Item 6: schemathesis exercises every operation of the API as a signed-in user — bounded
examples, all of its checks (no server errors; status codes, content types, headers and
bodies as documented; invalid data rejected; authentication not ignored). The schema is the
truth: a response the schema does not describe fails here."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, reject, settings
from rest_framework.authtoken.models import Token
from schemathesis import DataGenerationMethod, GenerationConfig
from schemathesis.checks import ALL_CHECKS

from coordinator.cli.follow import held_dispatch
from coordinator.engine import start_run
from coordinator.models import Approval
from tests.runs_api.helpers import team_canvas

EXAMPLES = 6  # per operation, positive and negative: finds shape bugs, cheap on two cores

schema = schemathesis.from_dict(
    SchemaGenerator().get_schema(request=None, public=True),
    # Django's own request handling, called in this thread: the same middleware, views and
    # serializers as under daphne (the ASGI body guard has its own tests), and fast.
    app=get_wsgi_application(),
    force_schema_version="30",
    data_generation_methods=[DataGenerationMethod.positive, DataGenerationMethod.negative],
    # the real token is set on every case below; made-up session cookies would only blur
    # which credential answered
    generation_config=GenerationConfig(with_security_parameters=False),
)


@pytest.fixture
def world(alice, team, engine_settings):
    """Real objects for the operations to find: a canvas with a run (held queued: waiting
    for runs to finish would cost more than every request here)."""
    canvas = team_canvas(alice, team=team)
    with held_dispatch():
        run = start_run(canvas, user=alice, query="What was our revenue?")
    approval = Approval.objects.create(  # pending, for alice, no group, undecided: nulls
        run=run, step_run=run.steps.first(), kind="approval", prompt="Ship it?", assignee_user=alice
    )
    return {
        "approval": str(approval.pk),
        "token": Token.objects.create(user=alice).key,
        "canvas": str(canvas.pk),
        "run": str(run.pk),
        "agent": "sales",
        "version": 1,
    }


def with_real_ids(case, world) -> None:
    params = case.path_parameters or {}
    path = case.operation.path
    if "id" in params:
        owner = path.split("/")[2]  # /api/<owner>/{id}/…
        params["id"] = {"runs": world["run"], "approvals": world["approval"]}.get(
            owner, world["canvas"]
        )
    if "canvas_id" in params:
        params["canvas_id"] = world["canvas"]
    if "slug" in params:
        params["slug"] = world["agent"]
    if "number" in params:
        params["number"] = world["version"]


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, world):
    meta = case.meta
    if meta is None or meta.path_parameters != DataGenerationMethod.negative:
        with_real_ids(case, world)  # a made-up path parameter stays made up: it is the test
    form = ("multipart/form-data", "application/x-www-form-urlencoded")
    if case.media_type in form and not isinstance(case.body, dict):
        reject()  # a form is fields: a bare number or list cannot even be sent as one
    case.headers, case.cookies = case.headers or {}, case.cookies or {}  # the check writes to them
    auth = {"Authorization": f"Token {world['token']}"}
    response = case.call(headers=auth)
    # told which headers are the credentials, ignored_auth sends the request again without
    case.validate_response(
        response, checks=ALL_CHECKS, headers=auth, transport_kwargs={"headers": auth}
    )
