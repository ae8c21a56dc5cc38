// /models/ (staff): providers litellm supports, the connections that reach them and the
// secrets behind those — whether a key is present, never the key — and a Test button that
// makes one tiny call through a connection, showing the latency or the provider's error.

import { useEffect, useMemo, useState } from "react";

import { describeError } from "../api/client";
import {
  getModelCatalogue,
  testModel,
  type ConnectionStatus,
  type ModelCatalogue,
  type ModelTestResult,
  type ProviderStatus,
  type SecretStatus,
} from "../api/models";
import { AppHeader } from "../components/AppHeader";
import "./models.css";

function Teams({ all, teams }: { all: boolean; teams: string[] }) {
  if (all) return <span className="chip">all teams</span>;
  if (!teams.length) return <span className="muted">staff only</span>;
  return (
    <>
      {teams.map((team) => (
        <span key={team} className="chip">
          {team}
        </span>
      ))}
    </>
  );
}

function KeyStatus({ connection }: { connection: ConnectionStatus }) {
  if (!connection.secret) return <span className="muted">sends no key</span>;
  return (
    <span className={connection.secret_has_value ? "status-ok" : "status-bad"} data-testid="connection-key">
      {connection.secret} · {connection.secret_has_value ? "value present" : "no value"}
    </span>
  );
}

function TestResult({ result }: { result: ModelTestResult }) {
  if (result.ok) {
    return (
      <p className="model-test__result status-ok" data-testid="model-test-result" data-ok="true">
        OK · {result.latency_ms} ms{result.reply ? ` · “${result.reply}”` : ""}
      </p>
    );
  }
  return (
    <p className="model-test__result status-bad" data-testid="model-test-result" data-ok="false" role="alert">
      {result.error}
      {result.latency_ms !== null ? ` (after ${result.latency_ms} ms)` : ""}
    </p>
  );
}

function ConnectionRow({ connection }: { connection: ConnectionStatus }) {
  const [model, setModel] = useState(connection.test_model);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ModelTestResult | null>(null);
  const [error, setError] = useState("");
  const run = async () => {
    setBusy(true);
    setError("");
    setResult(null);
    try {
      setResult(await testModel(connection.name, model.trim()));
    } catch (err) {
      setError(describeError(err, "test"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-testid="connection-row" data-connection={connection.name}>
      <td>
        <strong>{connection.name}</strong>
        {connection.description ? <div className="muted">{connection.description}</div> : null}
        <div className="muted models-page__base">{connection.api_base}</div>
      </td>
      <td>
        {connection.model_patterns.map((pattern) => (
          <code key={pattern} className="chip">
            {pattern}
          </code>
        ))}
      </td>
      <td>
        <KeyStatus connection={connection} />
      </td>
      <td>
        <Teams all={connection.all_teams} teams={connection.teams} />
      </td>
      <td className="model-test">
        <form
          className="model-test__form"
          onSubmit={(event) => {
            event.preventDefault();
            void run();
          }}
        >
          <input
            aria-label={`Model to test through ${connection.name}`}
            data-testid="model-test-model"
            placeholder="a model it serves"
            value={model}
            maxLength={200}
            onChange={(event) => setModel(event.target.value)}
          />
          <button type="submit" className="button button--small" data-testid="model-test-button" disabled={busy || !model.trim()}>
            {busy ? "Testing…" : "Test"}
          </button>
        </form>
        {result ? <TestResult result={result} /> : null}
        {error ? (
          <p className="model-test__result status-bad" data-testid="model-test-result" data-ok="false" role="alert">
            {error}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

function SecretRow({ secret }: { secret: SecretStatus }) {
  return (
    <tr data-testid="secret-row" data-secret={secret.name}>
      <td>
        <strong>{secret.name}</strong>
        {secret.description ? <div className="muted">{secret.description}</div> : null}
      </td>
      <td>{secret.source === "env" ? <>environment variable <code>{secret.env_var}</code></> : "stored encrypted"}</td>
      <td className={secret.has_value ? "status-ok" : "status-bad"}>{secret.has_value ? "value present" : "no value"}</td>
      <td>{secret.allowed_hosts.length ? secret.allowed_hosts.join(", ") : <span className="muted">none</span>}</td>
      <td>
        <Teams all={secret.all_teams} teams={secret.teams} />
      </td>
    </tr>
  );
}

function Providers({ providers }: { providers: ProviderStatus[] }) {
  const [filter, setFilter] = useState("");
  const [onlyServed, setOnlyServed] = useState(false);
  const shown = useMemo(
    () =>
      providers.filter(
        (p) => p.name.includes(filter.trim().toLowerCase()) && (!onlyServed || p.connections.length > 0),
      ),
    [providers, filter, onlyServed],
  );
  return (
    <section className="panel" aria-labelledby="providers-title">
      <h2 id="providers-title">Providers ({providers.length})</h2>
      <p className="muted">
        Every provider litellm supports. Runs reach a provider only through a connection. The last column says whether the
        variables litellm knows for the provider are set on the server (a Secret can read one); for providers litellm knows
        no variable for, nothing is missing.
      </p>
      <div className="list-toolbar">
        <input type="search" aria-label="Filter providers" placeholder="Filter providers" data-testid="provider-filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <label>
          <input type="checkbox" data-testid="provider-only-served" checked={onlyServed} onChange={(e) => setOnlyServed(e.target.checked)} /> only those a connection serves
        </label>
      </div>
      <table className="models-table" data-testid="provider-table">
        <thead>
          <tr>
            <th>Provider</th>
            <th>Connections</th>
            <th>Key variables on the server</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((provider) => (
            <tr key={provider.name} data-testid="provider-row" data-provider={provider.name}>
              <td>{provider.name}</td>
              <td>{provider.connections.length ? provider.connections.join(", ") : <span className="muted">none</span>}</td>
              <td className="muted" data-testid="provider-environment">
                {provider.key_in_environment
                  ? "nothing missing"
                  : provider.expected_variables.length
                    ? `not set: ${provider.expected_variables.join(", ")}`
                    : "not checked (its lookup would sign in over the network)"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ModelsPage() {
  const [catalogue, setCatalogue] = useState<ModelCatalogue | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    const controller = new AbortController();
    getModelCatalogue(controller.signal)
      .then(setCatalogue)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(describeError(err, "load the models"));
      });
    return () => controller.abort();
  }, []);
  return (
    <div className="page">
      <AppHeader />
      <main className="content content--wide models-page">
        <h1>Models and credentials</h1>
        <p className="muted">
          Manage them in the admin: <a href="/admin/canvas/connection/">Connections</a> · <a href="/admin/canvas/secret/">Secrets</a>.
          Keys are never shown here, only whether one is present.
        </p>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        {!catalogue && !error ? <p className="muted">Loading…</p> : null}
        {catalogue ? (
          <>
            <section className="panel" aria-labelledby="connections-title">
              <h2 id="connections-title">Connections</h2>
              {catalogue.connections.length ? (
                <table className="models-table" data-testid="connection-table">
                  <thead>
                    <tr>
                      <th>Connection</th>
                      <th>Models</th>
                      <th>Key</th>
                      <th>Teams</th>
                      <th>Test</th>
                    </tr>
                  </thead>
                  <tbody>
                    {catalogue.connections.map((connection) => (
                      <ConnectionRow key={connection.name} connection={connection} />
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted">No connections yet: every run uses the built-in offline model baton/local.</p>
              )}
            </section>
            <section className="panel" aria-labelledby="secrets-title">
              <h2 id="secrets-title">Secrets</h2>
              {catalogue.secrets.length ? (
                <table className="models-table" data-testid="secret-table">
                  <thead>
                    <tr>
                      <th>Secret</th>
                      <th>Source</th>
                      <th>Value</th>
                      <th>May be sent to</th>
                      <th>Teams</th>
                    </tr>
                  </thead>
                  <tbody>
                    {catalogue.secrets.map((secret) => (
                      <SecretRow key={secret.name} secret={secret} />
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted">No secrets yet.</p>
              )}
            </section>
            <Providers providers={catalogue.providers} />
          </>
        ) : null}
      </main>
    </div>
  );
}
