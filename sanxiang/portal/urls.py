"""Every public page (no login): the home page and agency pages with what each publishes before it acts (powers,
inspection items and rules, inspectors), decisions (事后公开), pre-disclosure (事前公开), 双随机 plans and their
results, open data, the law library, the checks behind certificate and document QR codes, the 扫码入企 page of
an inspection's code, 行政许可 (办事指南, online application, 办理进度查询), and following decisions (an Atom feed
and e-mail subscriptions for an enterprise, an agency or a kind of decision). Each group keeps its
URL namespace; the law library's pages are a second instance ("public-laws") of the workbench's "laws" names."""

from django.urls import include, path

from sanxiang.portal.views import (
    catalogues,
    checks,
    decisions,
    disclosures,
    home,
    laws,
    licensing,
    monitoring,
    opendata,
    plans,
    reports,
    subscriptions,
)

home_patterns = [
    path("", home.home, name="home"),
    path("officers/", home.officers, name="officers"),
    path("agencies/<str:code>/", home.agency, name="agency"),
    path("agencies/<str:code>/powers/", catalogues.powers, name="powers"),
    path("agencies/<str:code>/inspection-items/", catalogues.inspection_items, name="inspection-items"),
    path("agencies/<str:code>/inspectors/", catalogues.inspectors, name="inspectors"),
    path("monitoring/locations/", monitoring.locations, name="monitoring-locations"),
    path("monitoring/party/<str:key>/", monitoring.party, name="monitoring-party"),
    path("verify/officer/", home.verify_form, name="verify-form"),
    path("verify/officer/<str:number>/", home.verify_officer, name="verify-officer"),
    path("verify/officer/<str:number>/qr.svg", home.verify_officer_qr, {"kind": "svg"}, name="verify-officer-qr"),
    path("verify/officer/<str:number>/qr.png", home.verify_officer_qr, {"kind": "png"}, name="verify-officer-qr-png"),
    path("verify/document/<uuid:public_id>/", home.verify_document, name="verify-document"),
    # 扫码入企: the code of a 行政检查通知书
    path("checks/<str:code>/", checks.check, name="check"),
    path("checks/<str:code>/rating", checks.rate, name="check-rate"),
    path("checks/<str:code>/complaint", checks.complain, name="check-complain"),
    path("checks/<str:code>/qr.png", checks.check_qr, name="check-qr"),
    # 行政许可: the 办事指南 of each agency, the online application, 办理进度查询 by the application's number
    path("reports/", reports.index, name="annual-reports"),
    path("reports/<str:agency_code>/<int:year>/", reports.report, name="annual-report"),
    path("reports/<str:agency_code>/<int:year>/data.<str:fmt>", reports.download, name="annual-report-data"),
    path("licences/", licensing.guides, name="licence-guides"),
    path("licences/progress/", licensing.progress, name="licence-progress"),
    path("licences/<str:agency_code>/", licensing.guide, name="licence-guide"),
    path("licences/<str:agency_code>/<str:type_code>/", licensing.licence_type, name="licence-type"),
    path("licences/<str:agency_code>/<str:type_code>/apply", licensing.apply, name="licence-apply"),
    path("licences/<str:agency_code>/<str:type_code>/applied", licensing.applied, name="licence-applied"),
    path(
        "licences/<str:agency_code>/<str:type_code>/samples/<str:material_code>/",
        licensing.sample,
        name="licence-sample",
    ),
    # 订阅: e-mail subscriptions to an enterprise's, an agency's or a kind's decisions
    path("subscriptions/", subscriptions.subscribe, name="subscribe"),
    path("subscriptions/requested/", subscriptions.requested, name="subscription-requested"),
    path("subscriptions/confirm/<str:token>/", subscriptions.confirm, name="subscription-confirm"),
    path("subscriptions/unsubscribe/<str:token>/", subscriptions.cancel, name="subscription-cancel"),
]

decision_patterns = [
    path("decisions/", decisions.search, name="search"),
    path("decisions/<int:publication_id>/", decisions.decision, name="decision"),
    path("decisions/<int:publication_id>/v<int:number>/", decisions.decision, name="decision-version"),
    path("decisions/<int:publication_id>/v<int:number>.txt", decisions.version_text, name="version-text"),
    path("decisions/<int:publication_id>/v<int:number>.pdf", decisions.version_pdf, name="version-pdf"),
    path("decisions/<int:publication_id>/v<int:number>/entry.json", decisions.version_entry, name="version-entry"),
    path("decisions/<int:publication_id>/v<int:number>/verify", decisions.verify, name="verify"),
    path("withdrawals/", decisions.withdrawals, name="withdrawals"),
    path("statistics/", decisions.statistics, name="statistics"),
    path("feed.atom", decisions.feed, name="feed"),
    path("feeds/enterprise/<str:target>.atom", subscriptions.feed, {"topic": "enterprise"}, name="feed-enterprise"),
    path("feeds/agency/<str:target>.atom", subscriptions.feed, {"topic": "agency"}, name="feed-agency"),
    path("feeds/kind/<str:target>.atom", subscriptions.feed, {"topic": "kind"}, name="feed-kind"),
]

disclosure_patterns = [
    path("", disclosures.index, name="index"),
    path("<str:code>/", disclosures.agency, name="agency"),
    path("<str:code>/<int:disclosure_id>/", disclosures.history, name="history"),
]

plan_patterns = [
    path("", plans.index, name="index"),
    path("algorithm/", plans.algorithm, name="algorithm"),
    path("<str:code>/", plans.agency, name="agency"),
    path("<str:code>/<int:plan_id>/", plans.plan, name="plan"),
    path("<str:code>/<int:plan_id>/plan.json", plans.plan_json, name="plan-json"),
    path("<str:code>/<int:plan_id>/draw.json", plans.draw_json, name="draw-json"),
]

opendata_patterns = [
    path("", opendata.index, name="index"),
    path("download", opendata.download, name="download"),
]

law_patterns = [
    path("", laws.index, name="index"),
    path("instruments/<int:instrument_id>/", laws.instrument, name="instrument"),
    path("articles/<int:article_id>/", laws.article, name="article"),
]

urlpatterns = [
    path("", include((home_patterns, "portal"))),
    path("", include((decision_patterns, "public"))),
    path("disclosures/", include((disclosure_patterns, "public-disclosures"))),
    path("plans/", include((plan_patterns, "public-plans"))),
    path("opendata/", include((opendata_patterns, "opendata"))),
    path("laws/", include((law_patterns, "laws"), namespace="public-laws")),
]
