"""Edge guards that apply to every request before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


def error_response(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


class BodySizeLimitMiddleware:
    """Refuses a body larger than AMPARO_MAX_BODY_BYTES before it is read (413).

    Django would raise RequestDataTooBig only when the body is read; answering from
    the declared length keeps a large upload from tying up a worker at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return error_response(400, "bad_request", "Content-Length is not a number.")
        if length > settings.MAX_BODY_BYTES:
            return too_large()
        return self.get_response(request)


def too_large() -> JsonResponse:
    return error_response(
        413,
        "payload_too_large",
        f"The request body exceeds the limit of {settings.MAX_BODY_BYTES} bytes.",
    )


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy: pages load nothing from another host."""

    POLICY = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", self.POLICY)
        return response


class ApiErrorShapeMiddleware:
    """Keeps the API's error shape for answers no API view produced: an unknown path
    (404) or a method the path does not take (405) would otherwise come back as HTML."""

    MESSAGES = {
        404: ("not_found", "Not found."),
        405: ("method_not_allowed", "Method not allowed."),
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in self.MESSAGES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = self.MESSAGES[response.status_code]
            shaped = error_response(response.status_code, code, message)
            if response.has_header("Allow"):
                shaped["Allow"] = response["Allow"]
            return shaped
        return response
