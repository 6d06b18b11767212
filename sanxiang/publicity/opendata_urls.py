"""Open data (双公示 exports and imports): portal downloads and API v1 endpoints."""

portal_patterns: list = []
api_patterns: list = []
workbench_patterns: list = []
