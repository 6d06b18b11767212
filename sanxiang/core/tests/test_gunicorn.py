"""Our gunicorn servers on one machine stay out of one another's way."""

from sanxiang.core.gunicorn import GunicornServer


def test_no_server_takes_the_users_one_control_socket():
    """gunicorn's default control socket is one path per user: the site and a witness would take it in turn."""
    site = GunicornServer({"bind": "127.0.0.1:0", "workers": 1}, lambda: None)
    witness = GunicornServer({"bind": "127.0.0.1:0", "workers": 1, "threads": 1}, lambda: None)
    assert site.cfg.control_socket_disable and witness.cfg.control_socket_disable
    assert site.cfg.workers == 1 and site.cfg.bind == ["127.0.0.1:0"]  # the options given still apply
