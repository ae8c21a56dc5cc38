"""OpenAPI post-processing: every operation documents the errors it can answer.

All errors share one body, the `Error` component (see coordinator/api/errors.py and
docs/api.md). An operation that documents an error status itself keeps its own entry.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "The shape of every error answer.",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Every problem found, each naming the field (dotted path).",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "node": {"type": "string"},
                    "edge": {"type": "string"},
                    "severity": {"type": "string", "enum": ["error", "warning"]},
                },
                "required": ["field", "message"],
            },
        },
        "limit": {"type": "integer", "description": "413 only: the body limit in bytes"},
    },
    "required": ["detail"],
}

ALWAYS = {
    "400": "Invalid input (a query parameter, or the body): `errors` names each field.",
    "401": "Not authenticated.",
    "403": "Authenticated, but not allowed.",
}
WITH_PATH_PARAMETERS = {"404": "Not found, or not visible to you."}
WITH_BODY = {
    "413": "The request body is over the limit (BATON_MAX_BODY_BYTES).",
    "415": "The body's content type is not one this operation reads.",
}
CONFLICTS = {"409": "The object is not in a state that allows this action."}
THROTTLED = {"429": "Too many requests: wait for the seconds in `Retry-After`."}

#: operations (by operationId) that can answer 409 or 429
CONFLICT_OPERATIONS = {
    "runs_cancel_create",
    "runs_pause_create",
    "runs_resume_create",
    "runs_intervene_create",
    "approvals_decide_create",
}
THROTTLED_OPERATIONS = {
    "canvases_runs_create",
    "canvases_import",
    "canvases_import_onto",
    "route_preview",
    "auth_token_create",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(ALWAYS)
            if "{" in path:
                errors.update(WITH_PATH_PARAMETERS)
            if "requestBody" in operation or method in ("post", "put", "patch"):
                errors.update(WITH_BODY)
            if operation.get("operationId") in CONFLICT_OPERATIONS:
                errors.update(CONFLICTS)
            if operation.get("operationId") in THROTTLED_OPERATIONS:
                errors.update(THROTTLED)
            for code, description in errors.items():
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
