"""The API's refusals in its OpenAPI document: every status an operation can answer is documented.

Some refusals come from the API's machinery, the same for every operation of a kind, and are added
here from what the document already says about the operation:

- 400 for every operation: an address with a NUL character, a body that is not JSON in UTF-8, or
  content a service refuses (then with ``errors`` per field);
- 404 where the path names something (an unknown town, project, idea …) or a page is chosen (a
  page past the last one);
- 422 where there are parameters or a body: a value of the wrong type or out of range;
- 401 and 403 where the operation needs a person (no session and no API key; a failed CSRF check
  or a rule that refuses, with the reason).

What only some operations answer (403 for results not yet public, 429 for the rate limits of
writes) is declared by the operation itself, in its ``response={…}``, with the schemas below.
``make fuzz`` and tests/test_bad_input_api.py hold every answer to the document.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation


class Detail(Schema):
    """A refusal: why, in the person's language."""

    detail: str


class InvalidContent(Detail):
    """400: ``errors`` names the fields a service refused, when it named any."""

    errors: dict[str, list[str]] | None = None


class InvalidParameters(Detail):
    """422: ``errors`` lists what is wrong with which parameter (pydantic's errors)."""

    errors: list[dict[str, Any]]


def _reasons(operation: dict[str, Any]) -> dict[int, tuple[str, type[Schema]]]:
    parameters = operation.get("parameters", [])
    reasons: dict[int, tuple[str, type[Schema]]] = {
        400: (
            "Bad Request: an address with a NUL character, a body that is not JSON in UTF-8, "
            "or content that is refused (with `errors` per field)",
            InvalidContent,
        )
    }
    if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
        reasons[404] = ("Not Found: nothing of that name or number here, or no such page", Detail)
    if parameters or "requestBody" in operation:
        reasons[422] = (
            "Unprocessable Entity: a parameter of the wrong type or range",
            InvalidParameters,
        )
    if operation.get("security"):
        reasons[401] = ("Unauthorized: neither a session nor a valid API key (Bearer)", Detail)
        reasons[403] = (
            "Forbidden: the CSRF check failed, or the rules refuse; `detail` says why",
            Detail,
        )
    return reasons


class RefusalsDocumented(OpenAPISchema):
    def operation_details(self, operation: Operation) -> dict[str, Any]:
        details = super().operation_details(operation)
        responses = details["responses"]
        for status, (description, schema) in _reasons(details).items():
            if status in responses:
                continue
            name = schema.__name__
            if name not in self.schemas:
                self.schemas[name] = schema.model_json_schema(ref_template=REF_TEMPLATE)
            responses[status] = {
                "description": description,
                "content": {
                    "application/json": {"schema": {"$ref": REF_TEMPLATE.format(model=name)}}
                },
            }
        details["responses"] = dict(sorted(responses.items()))
        return details


class DocumentedApi(NinjaAPI):
    """django-ninja's API, with the refusals above in its OpenAPI document."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return RefusalsDocumented(api=self, path_prefix=path_prefix)
