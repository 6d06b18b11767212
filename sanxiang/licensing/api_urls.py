"""Licensing's part of API v1 (applications, their steps and progress, licence types, licences)."""

urlpatterns: list = []
