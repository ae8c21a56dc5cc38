"""A succeeded run's result saved as a file: the plan's `output: {format, destination}`.

The destination is a path relative to MEDIA_ROOT (it may use `{{ run.id }}`, `{{ input.… }}`
and `{{ now() }}`); anything that resolves outside MEDIA_ROOT, through `..` or a symlink, is
refused. The file is written atomically (a temporary file, then a rename).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings

from coordinator.engine.core.results import as_markdown
from coordinator.expressions import ExpressionError, render


class ArtifactError(ValueError):
    """The artifact cannot be saved; the message says why (the run itself still succeeded)."""


def output_spec(run) -> dict | None:
    spec = (run.plan or {}).get("output")
    return spec if isinstance(spec, dict) and spec.get("destination") else None


def save(run) -> str:
    """Write the run's result to its destination; returns the path relative to MEDIA_ROOT."""
    spec = output_spec(run)
    if spec is None:
        raise ArtifactError("the plan names no output destination")
    media = Path(settings.MEDIA_ROOT).resolve()
    target = target_path(media, _destination(run, spec["destination"]))
    body = content(run, spec.get("format") or "markdown")
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.parent.resolve().is_relative_to(media):
        raise ArtifactError("refusing to write outside the media directory")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".artifact-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target.relative_to(media).as_posix()


def _destination(run, destination: str) -> str:
    if "{" not in destination:
        return destination
    context = {
        "run": {"id": str(run.pk), "query": run.query, "trigger": run.trigger},
        "input": run.input or {},
    }
    try:
        return str(render(destination, context))
    except ExpressionError as exc:
        raise ArtifactError(f"destination: {exc}") from None


def target_path(media: Path, destination: str) -> Path:
    """The file a destination names, or ArtifactError when it would leave `media`."""
    text = (destination or "").strip().replace("\\", "/")
    pure = PurePosixPath(text)
    if (
        not text
        or "\x00" in text
        or pure.is_absolute()
        or ".." in pure.parts
        or (pure.parts and ":" in pure.parts[0])
    ):
        raise ArtifactError(
            f"destination {destination!r} must be a relative path inside the media directory"
        )
    target = (media / pure).resolve()
    if target == media or not target.is_relative_to(media):
        raise ArtifactError(f"destination {destination!r} resolves outside the media directory")
    if target.is_dir():
        raise ArtifactError(f"destination {destination!r} is a directory")
    return target


def content(run, fmt: str) -> str:
    result = run.result or {}
    if fmt == "json":
        document = {
            "run": str(run.pk),
            "canvas": run.canvas.slug,
            "query": run.query,
            "status": run.status,
            "result": result,
        }
        return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "text":
        return (result.get("answer") or "") + "\n"
    return as_markdown(run)
