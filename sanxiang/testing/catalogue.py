"""What the catalogue's forms take, as the pages post it and API v1 sends it: a new violation, a discretion factor,
a line of the legal-review catalogue."""

NEW_VIOLATION = {
    "code": "TR-94",
    "name": "未按规定采取土壤污染防治措施",
    "basis": "《土壤污染防治法》第九十四条",
    "penalty_text": "责令改正，处二万元以上二十万元以下的罚款",
    "fine_basis": "range",
    "fine_min": "20000",
    "fine_max": "200000",
    "start_percent": "10",
}
FACTOR = {"name": "污染面积", "levels": "一百平方米以下=0\n一百平方米以上=15", "citation": "哈环规〔2026〕3号"}
REVIEW_LINE = {
    "kind": "fine_organisation",
    "amount": "100000",
    "description": "对法人罚款十万元以上",
    "citation": "哈环规〔2026〕2号",
}
