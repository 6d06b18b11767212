"""Pre-disclosure (事前公开) pages: the workbench side (collect → review → publish) and the portal sections."""

workbench_patterns: list = []
portal_patterns: list = []
