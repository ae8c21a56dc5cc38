"""Models and credentials in the browser. Staff open the Models page from the header, see
each connection with its models and whether its key is present (never the key), press
"Test" and read the latency — or the provider's error. A designer (not staff) has no such
page, but the Coordinator's model field offers the models their connections serve and
says which connection a run would use.

A server of its own, whose connections point at an OpenAI-compatible test server on
loopback (the only address anything is sent to).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import require_frontend
from tests.browser.demo_server import pages_signed_in
from tests.browser.editor_helpers import EDITOR_VIEWPORT, drop, select_node
from tests.openai_server import OpenAIServer
from tests.servers import serve

pytestmark = pytest.mark.browser

KEY = "sk-browser-models-key-123"
#: the server imports litellm on the first request that needs it (seconds on a busy machine):
#: a bound on a failing test, not a speed requirement
LITELLM_IMPORT = 120_000

SETUP = """
import os

import django

django.setup()

from django.contrib.auth.models import User

from canvas.models import Canvas, Connection, Secret

password = os.environ["BATON_SETUP_PASSWORD"]
User.objects.create_superuser("curator", "curator@example.com", password)
alice = User.objects.create_user("alice", "alice@example.com", password)
key = Secret.objects.create(
    name="local-models-key", source="env", env_var="BATON_BROWSER_MODELS_KEY"
)
base = os.environ["BROWSER_OPENAI_V1"]
Connection.objects.create(
    name="local-models", description="The test server", api_base=base,
    model_patterns=["openai/test-model"], secret=key, all_teams=True,
)
Connection.objects.create(
    name="wrong-key", api_base=base, model_patterns=["openai/gpt-4o*"], all_teams=True,
)
canvas = Canvas.objects.create(name="Model picker", slug="model-picker", owner=alice)
print(canvas.pk)
"""


@pytest.fixture(scope="module")
def models_server(tmp_path_factory):
    require_frontend()
    with OpenAIServer() as provider:
        tmp = tmp_path_factory.mktemp("models-server")
        env = {
            "BATON_EGRESS_ALLOWLIST": "127.0.0.0/8",
            "BATON_BROWSER_MODELS_KEY": KEY,
            "BROWSER_OPENAI_V1": provider.v1,
        }
        with serve(tmp, [("-c", SETUP)], extra_env=env) as (url, password, output):
            yield {
                "url": url,
                "password": password,
                "canvas": output.strip().splitlines()[-1],
                "provider": provider,
            }


@pytest.fixture
def signed_in(chromium, models_server, page_errors):
    with pages_signed_in(chromium, models_server, page_errors, EDITOR_VIEWPORT) as open_as:
        yield open_as


def test_staff_test_a_connection_and_see_its_latency_or_the_providers_error(
    signed_in, models_server, page_errors, screenshot
):
    provider = models_server["provider"]
    provider.reply("OK", prompt_tokens=9, completion_tokens=1)
    provider.error(401, "Incorrect API key provided: baton-no-key")

    page = signed_in("curator")
    with page.expect_navigation():
        page.get_by_test_id("nav-models").click()
    assert page.url.endswith("/models/")

    working = page.locator('[data-testid="connection-row"][data-connection="local-models"]')
    expect(working).to_contain_text("openai/test-model", timeout=LITELLM_IMPORT)
    expect(working).to_contain_text("local-models-key · value present")
    expect(working).to_contain_text("all teams")
    expect(page.locator('[data-provider="openai"]')).to_contain_text("local-models, wrong-key")

    expect(working.get_by_test_id("model-test-model")).to_have_value("openai/test-model")
    working.get_by_test_id("model-test-button").click()
    result = working.get_by_test_id("model-test-result")
    expect(result).to_have_attribute("data-ok", "true")
    expect(result).to_contain_text("OK ·")
    expect(result).to_contain_text(" ms")
    assert provider.requests[-1].headers["Authorization"] == f"Bearer {KEY}"

    broken = page.locator('[data-testid="connection-row"][data-connection="wrong-key"]')
    expect(broken).to_contain_text("sends no key")
    broken.get_by_test_id("model-test-model").fill("openai/gpt-4o-mini")
    broken.get_by_test_id("model-test-button").click()
    error = broken.get_by_test_id("model-test-result")
    expect(error).to_have_attribute("data-ok", "false")
    expect(error).to_contain_text("Incorrect API key provided")
    page.get_by_test_id("provider-only-served").check()
    expect(page.get_by_test_id("provider-row")).to_have_count(1)
    expect(page.get_by_test_id("provider-row")).to_contain_text("openai")
    screenshot(page, "models-page-test-latency-and-error")

    assert KEY not in page.content()
    assert len(provider.requests) == 2
    assert page_errors == []


def test_a_designer_picks_a_model_their_connections_serve(
    signed_in, models_server, page_errors, screenshot
):
    page = signed_in("alice", f"/canvases/{models_server['canvas']}/")
    expect(page.get_by_test_id("nav-models")).to_have_count(0)
    coordinator = drop(page, "coordinator", 420, 260)
    select_node(page, coordinator)

    field = page.get_by_test_id("field-data.config.model")
    options = page.get_by_test_id("field-data.config.model-options").locator("option")
    expect(options.first).to_have_attribute("value", "baton/local", timeout=LITELLM_IMPORT)
    offered = options.evaluate_all("os => os.map(o => o.value)")
    assert "openai/test-model" in offered
    assert "openai/gpt-4o-mini" in offered  # from the wrong-key connection's wildcard
    expect(page.get_by_test_id("model-reach")).to_contain_text("baton/local")

    field.fill("openai/test-model")
    expect(page.get_by_test_id("model-reach")).to_contain_text(
        "through connection local-models (openai/test-model)"
    )
    connections = page.get_by_test_id("field-data.config.connection-options").locator("option")
    assert connections.evaluate_all("os => os.map(o => o.value)") == ["local-models", "wrong-key"]
    screenshot(page, "model-picker-served")

    field.fill("mistral/large")  # free text is allowed; the panel says a run would stop
    expect(page.get_by_test_id("model-reach")).to_contain_text("None of your connections")
    screenshot(page, "model-picker-unserved")

    # an llm agent defined inline on a sub-agent node gets the same picker
    sub_agent = drop(page, "sub_agent", 420, 520)
    select_node(page, sub_agent)
    page.get_by_test_id("toggle-data.config.inline").check()
    inline_model = page.get_by_test_id("field-data.config.inline.kind_config.model")
    inline_model.fill("openai/gpt-4o-mini")
    expect(page.get_by_test_id("model-reach")).to_contain_text(
        "through connection wrong-key (openai/gpt-4o*)"
    )
    expect(page.get_by_test_id("field-data.config.inline.kind_config")).to_have_value(
        re.compile(r'"model": "openai/gpt-4o-mini"')
    )
    screenshot(page, "model-picker-inline-llm-agent")

    stored = page.evaluate("() => fetch('/models/').then(r => r.status)")
    assert stored == 403
    assert page_errors == []
