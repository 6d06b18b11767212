from drf_spectacular.views import SpectacularSwaggerSplitView

from sanxiang.core.middleware import CONTENT_SECURITY_POLICY


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from local static files; its widgets set inline styles, so only style-src is relaxed here."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "style-src 'self'", "style-src 'self' 'unsafe-inline'"
        )
        return response
