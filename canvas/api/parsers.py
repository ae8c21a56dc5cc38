"""Request parsers for the canvas API."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from coordinator.unstorable import refuse_unstorable


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, except that a body nested too deeply for Python is a 400, not a 500.

    `json.loads` raises RecursionError (not ValueError, which DRF catches) on input like
    `[[[[…]]]]` a few thousand levels deep.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
        refuse_unstorable(data)  # `"\udfff"` and `"\u0000"` are valid JSON but not storable text
        return data


class FormParser(parsers.FormParser):
    """DRF's form parser, refusing NUL characters (a 400 naming the field)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        refuse_unstorable(dict(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, refusing NUL characters in fields and file names."""

    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        refuse_unstorable(dict(result.data.lists()))
        for field, upload in result.files.items():
            refuse_unstorable(upload.name or "", field)
        return result


class YamlParser(parsers.BaseParser):
    """A raw YAML body (`curl --data-binary @plan.yaml -H 'Content-Type: application/yaml'`).

    Returns the bytes: `plan_from_yaml` decodes them and enforces the size limit.
    """

    media_type = "application/yaml"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream is not None else b""


class TextYamlParser(YamlParser):
    media_type = "text/yaml"
