"""The workbench as an installable web app (PWA): its manifest, its service worker, and the page shown offline.

The service worker caches the app shell only — the static styles and scripts and the offline page — so that a
phone on site can open the workbench's capture queue again without a network; it never caches a page with data
(every such page is `no-store`). It is served from /workbench/ so that its scope is the workbench."""

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

SHELL = [
    "sanxiang/site.css",
    "vendor/htmx-2.0.11.min.js",
    "sanxiang/upload.js",
    "uploads/sha256.js",
    "uploads/capture.js",
    "web/pwa.js",
    "web/icon-192.png",
    "web/icon-512.png",
]


@login_not_required
def manifest(request):
    return JsonResponse(
        {
            "name": _("三项制度平台 · 工作台"),
            "short_name": _("执法工作台"),
            "lang": "zh-CN",
            "start_url": reverse("web:home"),
            "scope": reverse("web:home"),
            "display": "standalone",
            "background_color": "#f5f7fa",
            "theme_color": "#0b5d3b",
            "icons": [
                {"src": static(f"web/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
                for size in (192, 512)
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@login_not_required
@never_cache
def service_worker(request):
    """The worker's script names the shell's hashed static addresses, so a new release is a new cache."""
    shell = [static(name) for name in SHELL] + [reverse("web:offline")]
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:16]
    response = render(
        request, "web/sw.js", {"shell": shell, "version": version}, content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = reverse("web:home")
    return response


@login_not_required
def offline(request):
    return render(request, "web/offline.html")
