from django.apps import AppConfig


class PortalConfig(AppConfig):
    """公示门户: the public site, no login; its decision pages and home page kept as rendered (portal.pages)."""

    name = "sanxiang.portal"
    label = "portal"

    def ready(self):
        from sanxiang.portal.pages import public_changed
        from sanxiang.publicity.hooks import public_changed as publicity_changed

        publicity_changed.register(public_changed)
