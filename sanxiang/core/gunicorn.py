"""gunicorn run from our own commands: `sanxiang serve` (the site) and `sanxiang witness serve` (a witness)."""

from collections.abc import Callable

from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):
    """gunicorn with its settings given as a dict and the WSGI application made by `load` in each worker."""

    def __init__(self, options: dict, load: Callable):
        self.options = options
        self.loader = load
        super().__init__()

    def load_config(self):
        # gunicorn's control socket (for `gunicornc`) lies at one path per user by default: the site and each witness
        # on one machine would take it from one another. Our servers are run by the service manager and its signals.
        self.cfg.set("control_socket_disable", True)
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.loader()
