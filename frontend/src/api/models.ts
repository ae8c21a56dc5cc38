// Models and credentials: the staff catalogue, one test call, and what a user may pick.

import { apiGet, apiPost } from "./client";

export interface ProviderStatus {
  name: string;
  connections: string[];
  key_in_environment: boolean;
  expected_variables: string[];
}

export interface ConnectionStatus {
  name: string;
  description: string;
  api_base: string;
  model_patterns: string[];
  secret: string;
  secret_has_value: boolean | null;
  test_model: string;
  all_teams: boolean;
  teams: string[];
}

export interface SecretStatus {
  name: string;
  description: string;
  source: "env" | "stored";
  env_var: string;
  has_value: boolean;
  allowed_hosts: string[];
  all_teams: boolean;
  teams: string[];
}

export interface ModelCatalogue {
  providers: ProviderStatus[];
  connections: ConnectionStatus[];
  secrets: SecretStatus[];
}

export interface ModelTestResult {
  ok: boolean;
  model: string;
  connection: string;
  latency_ms: number | null;
  reply?: string;
  tokens?: number;
  error?: string;
  status_code?: number | null;
}

export interface ModelOption {
  model: string;
  connection: string;
  source: string;
}

export interface ModelOptions {
  models: ModelOption[];
  connections: { name: string; description: string; model_patterns: string[] }[];
}

export const getModelCatalogue = (signal?: AbortSignal) => apiGet<ModelCatalogue>("/api/models/", signal);

export const testModel = (connection: string, model: string) =>
  apiPost<ModelTestResult>("/api/models/test/", { connection, model });

export const getModelOptions = (signal?: AbortSignal) => apiGet<ModelOptions>("/api/models/available/", signal);
