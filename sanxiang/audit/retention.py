"""The legal floor of the security audit log's retention, shared by the settings and the database triggers.

网络安全法 第二十一条（三）: network operators keep the network logs of their operation for no less than six months.
The triggers installed by migration audit.0002 bake this number in; changing it takes a new migration.
"""

MINIMUM_RETENTION_DAYS = 183
