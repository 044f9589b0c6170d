from django.urls import URLPattern, URLResolver, path

from dualcirc.bureau.views import pages, work

app_name = "bureau"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", pages.dashboard, name="dashboard"),
    path("indicators/", pages.indicators, name="indicators"),
    path("enterprises/", pages.enterprise_list, name="enterprise-list"),
    path("enterprises/<int:pk>/", pages.enterprise_detail, name="enterprise"),
    path("enterprises/<int:enterprise_pk>/cases/", work.case_open, name="case-open"),
    path("enterprises/<int:enterprise_pk>/contacts/", work.contact_add, name="contact-add"),
    path("alerts/", pages.alert_list, name="alerts"),
    path("alerts/<int:pk>/case/", pages.alert_case, name="alert-case"),
    path("chains/", pages.chain_list, name="chains"),
    path("chains/<int:pk>/", pages.chain_detail, name="chain"),
    path("report/", pages.report, name="report"),
    path("report.xlsx", pages.report, {"fmt": "xlsx"}, name="report-xlsx"),
    path("report.pdf", pages.report, {"fmt": "pdf"}, name="report-pdf"),
    path("figures/", work.figures_home, name="figures"),
    path("figures/import/", work.figures_import_page, name="figures-import"),
    path("figures/<int:enterprise_pk>/<str:month>/", work.figures_edit, name="figures-edit"),
    path("cases/", work.case_list, name="cases"),
    path("cases/<int:pk>/", work.case_detail, name="case"),
    path("cases/<int:pk>/move/", work.case_move, name="case-move"),
    path("cases/<int:pk>/rate/", work.case_rate, name="case-rate"),
    path("projects/", work.project_list, name="projects"),
    path("projects/new/", work.project_edit, name="project-new"),
    path("projects/<int:pk>/", work.project_edit, name="project"),
]
