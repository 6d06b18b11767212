"""Backup and restore of a whole installation: the database, the blob store, the keys, and a manifest of hashes.

`operations` holds the two entry points (backup_create, backup_restore) and the check of a backup folder;
`database` the SQLite and PostgreSQL copies; `manifest` the hashed copies of files and the manifest itself.
"""
