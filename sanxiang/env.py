"""Strict parsing of SANXIANG_* environment variables.

A bad value stops start-up with a message that names the variable: a typo in a deployment must never fall back
silently to a default (a production server quietly running with DEBUG on, or on an empty SQLite file).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SettingError(ImproperlyConfigured):
    """A SANXIANG_* variable holds a value we cannot accept."""

    def __init__(self, name: str, value: str, expected: str):
        super().__init__(
            f"环境变量 {name} 的值 {value!r} 无效：应为{expected}。(Invalid {name}={value!r}: expected {expected}.)"
        )


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingError(name, value, "true/false（或 1/0、yes/no、on/off）")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise SettingError(name, value, "整数") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise SettingError(name, value, f"{minimum} 到 {maximum} 之间的整数")
    return number


_PERIODS = {
    "s": "second",
    "sec": "second",
    "second": "second",
    "m": "minute",
    "min": "minute",
    "minute": "minute",
    "h": "hour",
    "hour": "hour",
    "d": "day",
    "day": "day",
}


def env_rate(name: str, default: str) -> str:
    """A request rate "N/period" (period: second, minute, hour or day, or s, m, h, d), as DRF's throttles read it."""
    value = env_str(name, default)
    count, _slash, period = value.strip().partition("/")
    if not count.isdigit() or int(count) < 1 or period.strip().lower() not in _PERIODS:
        raise SettingError(name, value, "“次数/时段”，如 60/minute、1000/hour（时段：second、minute、hour、day）")
    return f"{int(count)}/{_PERIODS[period.strip().lower()]}"


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise SettingError(name, value, "以逗号分隔的非空列表")
    return items


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise SettingError(name, value, " / ".join(choices))
    return value


def syslog_address(name: str) -> str | tuple[str, int] | None:
    """A syslog destination: "host:port" (UDP) or the absolute path of a unix socket; unset means none."""
    value = env_str(name)
    if value is None:
        return None
    if value.startswith("/"):
        return value
    host, _, port = value.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SettingError(name, value, "主机:端口（如 10.0.0.5:514）或 unix 套接字的绝对路径（如 /dev/log）")
    return host, int(port)


def database_from_url(name: str, url: str, *, data_dir: Path, sqlite_synchronous: str = "FULL") -> dict:
    """Turn `sqlite:///path` or `postgres://user:pass@host:port/db?opt=v` into a Django DATABASES entry."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "sqlite":
        raw_path = unquote(parts.path)
        if parts.netloc or not raw_path or raw_path == "/":
            raise SettingError(name, url, "sqlite:///数据目录内的文件名 或 sqlite:////绝对路径")
        # sqlite:///name is relative to the data directory, sqlite:////abs/path is absolute.
        return sqlite_database(data_dir / raw_path[1:], sqlite_synchronous)
    if scheme in ("postgres", "postgresql"):
        database = unquote(parts.path.lstrip("/"))
        if not database or not parts.hostname:
            raise SettingError(name, url, "postgres://用户:密码@主机:端口/数据库")
        try:
            port = parts.port
        except ValueError:
            raise SettingError(name, url, "有效的端口号") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname,
            "PORT": str(port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise SettingError(name, url, "以 sqlite:// 或 postgres:// 开头的地址")


def sqlite_database(path: Path, synchronous: str = "FULL") -> dict:
    # WAL lets readers run while one writer commits; IMMEDIATE transactions take the write lock up front so two
    # writers queue on busy_timeout instead of failing on a lock upgrade. synchronous=FULL (the default) makes a
    # committed record survive a power cut; NORMAL survives a crash of the program but may lose the last commits
    # on power loss, for several times the write rate.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Reusing the connection saves re-running the PRAGMAs on every request.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON;",
        },
    }


def secret_key(data_dir: Path) -> str:
    """SANXIANG_SECRET_KEY, or a key kept in the data directory (created on first start, owner-only)."""
    value = env_str("SANXIANG_SECRET_KEY")
    if value is not None:
        if len(value) < 32:
            raise SettingError("SANXIANG_SECRET_KEY", "***", "至少 32 个字符的随机字符串")
        return value
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    key = path.read_text().strip()
    if len(key) < 32:
        raise ImproperlyConfigured(f"密钥文件 {path} 已损坏（少于 32 个字符）。(Secret key file {path} is corrupt.)")
    return key
