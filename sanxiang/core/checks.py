"""Start-up checks of core: what would make every page fail, said before the first request."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Warning, register
from django.core.files.storage import storages

STATIC_MISSING_HINT = (
    "运行 sanxiang collectstatic --no-input 生成静态文件（样式、脚本），然后再启动。"
    "(Run `sanxiang collectstatic --no-input` to build the static files, then start again.)"
)


def static_files_missing() -> str:
    """Why every page would answer 500 (the static files were never collected), or "" when they are in place.
    Without DEBUG a page names its style sheet and scripts by the hashed names listed in the collected manifest."""
    backend = storages["staticfiles"]
    if settings.DEBUG or not isinstance(backend, ManifestFilesMixin):
        return ""
    manifest = Path(settings.STATIC_ROOT) / backend.manifest_name
    if manifest.exists():
        return ""
    return (
        f"未找到静态文件清单 {manifest}：静态文件尚未生成，所有页面都会出错（500）。(Static files missing: {manifest}.)"
    )


@register()
def static_files_check(app_configs=None, **kwargs):
    # A warning, not an error: `migrate` runs every check and comes before `collectstatic` in an installation.
    # `sanxiang serve` refuses to start on it.
    problem = static_files_missing()
    return [Warning(problem, hint=STATIC_MISSING_HINT, id="sanxiang.core.W001")] if problem else []
