"""A new enterprise's region from its credit code or registered name; rows of one whose region
nothing gives are held for the operator to confirm (catalog.importing.held), never refused as a
whole file and never half-written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from dualcirc.catalog.import_jobs import run_import_job, start_import_job
from dualcirc.catalog.importing import CatalogImportRejected, import_catalog
from dualcirc.catalog.importing.held import confirm_held_rows
from dualcirc.catalog.models import Enterprise, ImportJob, ImportJobState, Product
from dualcirc.catalog.validators import credit_code_check_character
from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import Conflict, InvalidInput
from dualcirc.core.models import Region
from tests.factories import make_region_tree
from tests.factories.api import make_operator
from tests.factories.catalog_import import catalog_row, make_enterprise_admin, write_csv

pytestmark = pytest.mark.django_db

NO_PLACE = "好工匠家具有限公司"  # opens with no place name
AMBIGUOUS = "朝阳好运家具有限公司"  # 朝阳: a city in Liaoning, districts in Beijing and Changchun


def credit_code(division: str) -> str:
    first17 = f"91{division}MA3C12345"
    return first17 + credit_code_check_character(first17)


def row(name: str, sku: str, **cells: str) -> dict[str, str]:
    return catalog_row(enterprise=name, enterprise_en="", province="", city="", sku=sku, **cells)


@pytest.fixture
def operator():
    return make_operator()


def test_the_credit_code_places_a_new_enterprise_in_the_existing_region_tree(tmp_path, operator):
    regions = make_region_tree()
    path = write_csv(tmp_path / "c.csv", [row(NO_PLACE, "A1", credit_code=credit_code("330781"))])

    report = import_catalog(actor=operator, file=path)

    enterprise = Enterprise.objects.get(name_zh=NO_PLACE)
    assert (report.created, report.held_rows) == (1, 0)
    assert enterprise.region == regions["lanxi"]
    assert enterprise.organisation.region == regions["lanxi"]


def test_the_credit_code_wins_over_the_name_and_regions_are_created_with_gbt2260_codes(
    tmp_path, operator
):
    # the name opens with 莱西, the code was issued in 胶州 (370281): the code is the record
    path = write_csv(
        tmp_path / "c.csv", [row("莱西好工匠家具有限公司", "A1", credit_code=credit_code("370281"))]
    )

    import_catalog(actor=operator, file=path)

    region = Enterprise.objects.get().region
    assert (region.code, region.name_zh, region.path) == ("370281", "胶州市", "/37/3702/370281/")
    assert Region.objects.filter(code__in=["37", "3702"]).count() == 2


def test_province_and_city_cells_still_come_first(tmp_path, operator):
    regions = make_region_tree()
    path = write_csv(
        tmp_path / "c.csv",
        [catalog_row(enterprise="莱西好工匠家具有限公司", province="浙江省", city="兰溪市")],
    )

    import_catalog(actor=operator, file=path)

    assert Enterprise.objects.get().region == regions["lanxi"]


def test_a_region_created_by_name_earlier_is_reused_not_duplicated(tmp_path, operator):
    path = write_csv(tmp_path / "a.csv", [catalog_row(enterprise="甲厂", province="山东", city="")])
    import_catalog(actor=operator, file=path)
    shandong = Region.objects.get()

    path = write_csv(tmp_path / "b.csv", [row("青岛乙家具有限公司", "B1")])
    import_catalog(actor=operator, file=path)

    qingdao = Enterprise.objects.get(name_zh="青岛乙家具有限公司").region
    assert (qingdao.code, qingdao.parent) == ("3702", shandong)
    assert Region.objects.filter(Q(name_zh="山东省") | Q(name_zh="山东")).count() == 1


def test_rows_of_an_unplaceable_enterprise_are_held_and_the_rest_is_written(tmp_path, operator):
    make_region_tree()
    path = write_csv(
        tmp_path / "c.csv",
        [
            row("莱西好工匠家具有限公司", "A1"),
            row(NO_PLACE, "B1"),
            row(NO_PLACE, "B2"),
            row(AMBIGUOUS, "C1"),
        ],
    )

    report = import_catalog(actor=operator, file=path, filename="factory.csv")

    job = ImportJob.objects.get(pk=report.held_job_id)
    assert (report.created, report.held_rows, report.invalid_rows) == (1, 3, 0)
    assert list(Product.objects.values_list("sku", flat=True)) == ["A1"]
    assert not Enterprise.objects.filter(name_zh__in=[NO_PLACE, AMBIGUOUS]).exists()
    assert (job.state, job.filename, job.created_by, job.rows_written) == (
        ImportJobState.AWAITING,
        "factory.csv",
        operator,
        1,
    )
    held = {e["name_zh"]: e for e in job.report["held"]}
    assert held[NO_PLACE]["rows"] == [3, 4]
    assert held[NO_PLACE]["candidates"] == []
    candidates = {c["code"]: c["name"] for c in held[AMBIGUOUS]["candidates"]}
    assert candidates["2113"] == "辽宁省 朝阳市"
    assert candidates["110105"] == "北京市 朝阳区"


def test_confirming_imports_the_held_rows_with_the_chosen_regions(tmp_path, operator):
    regions = make_region_tree()
    path = write_csv(
        tmp_path / "c.csv", [row(NO_PLACE, "B1"), row(NO_PLACE, "B2"), row(AMBIGUOUS, "C1")]
    )
    job = ImportJob.objects.get(pk=import_catalog(actor=operator, file=path).held_job_id)
    keys = {e["name_zh"]: e["key"] for e in job.report["held"]}

    report = confirm_held_rows(
        actor=operator,
        job=job,
        regions={keys[NO_PLACE]: "莱西市", keys[AMBIGUOUS]: "2113 辽宁省 朝阳市"},
    )

    job.refresh_from_db()
    assert (report.created, report.enterprises_created) == (3, 2)
    assert Enterprise.objects.get(name_zh=NO_PLACE).region == regions["laixi"]
    assert Enterprise.objects.get(name_zh=AMBIGUOUS).region.code == "2113"
    assert sorted(Product.objects.values_list("sku", flat=True)) == ["B1", "B2", "C1"]
    assert (job.state, job.report["created"], job.report["held"]) == (ImportJobState.DONE, 3, [])
    assert "held_table" not in job.options
    with pytest.raises(Conflict):
        confirm_held_rows(actor=operator, job=job, regions={})


def test_an_unreadable_or_ambiguous_region_confirms_nothing(tmp_path, operator):
    path = write_csv(tmp_path / "c.csv", [row(NO_PLACE, "B1"), row(AMBIGUOUS, "C1")])
    job = ImportJob.objects.get(pk=import_catalog(actor=operator, file=path).held_job_id)
    keys = {e["name_zh"]: e["key"] for e in job.report["held"]}

    with pytest.raises(InvalidInput) as caught:
        confirm_held_rows(
            actor=operator, job=job, regions={keys[NO_PLACE]: "999999", keys[AMBIGUOUS]: "朝阳"}
        )

    job.refresh_from_db()
    messages = {e.field: e.message for e in caught.value.errors}
    assert messages[f"region:{keys[NO_PLACE]}"] == "999999 is not a GB/T 2260 division code."
    assert messages[f"region:{keys[AMBIGUOUS]}"].startswith("朝阳 could be several places: ")
    assert (Product.objects.count(), Enterprise.objects.count()) == (0, 0)
    assert job.state == ImportJobState.AWAITING and len(job.options["held_table"]["rows"]) == 2


def test_a_held_row_that_became_invalid_refuses_the_whole_confirmation(tmp_path, operator):
    path = write_csv(tmp_path / "c.csv", [row(NO_PLACE, "B1"), row(NO_PLACE, "B2")])
    job = ImportJob.objects.get(pk=import_catalog(actor=operator, file=path).held_job_id)
    key = job.report["held"][0]["key"]
    job.options["held_table"]["rows"][1][1][job.options["held_table"]["header"].index("moq")] = "x"
    job.save(update_fields=["options"])

    with pytest.raises(CatalogImportRejected):
        confirm_held_rows(actor=operator, job=job, regions={key: "莱西市"})

    job.refresh_from_db()
    assert (Product.objects.count(), Enterprise.objects.count()) == (0, 0)
    assert job.state == ImportJobState.AWAITING


def test_an_all_or_nothing_import_with_an_invalid_row_holds_nothing(tmp_path, operator):
    path = write_csv(tmp_path / "c.csv", [row(NO_PLACE, "B1"), row("莱西甲厂", "A1", moq="x")])

    with pytest.raises(CatalogImportRejected) as caught:
        import_catalog(actor=operator, file=path)

    assert caught.value.report.invalid_rows == 1
    assert (ImportJob.objects.count(), Product.objects.count()) == (0, 0)


def test_a_partial_import_writes_valid_rows_and_holds_the_unplaced_ones(tmp_path, operator):
    path = write_csv(
        tmp_path / "c.csv",
        [row(NO_PLACE, "B1"), row("莱西甲厂", "A1", moq="x"), row("莱西甲厂", "A2")],
    )

    report = import_catalog(actor=operator, file=path, partial=True)

    assert (report.created, report.invalid_rows, report.held_rows) == (1, 1, 1)
    assert list(Product.objects.values_list("sku", flat=True)) == ["A2"]


def test_a_background_job_waits_for_regions_with_its_rows(tmp_path, operator):
    path = write_csv(tmp_path / "c.csv", [row("莱西甲厂", "A1"), row(NO_PLACE, "B1")])
    upload = SimpleUploadedFile("big.csv", path.read_bytes(), content_type="text/csv")
    job = start_import_job(actor=operator, file=upload)

    run_import_job(job_id=job.pk)

    job.refresh_from_db()
    assert (job.state, job.report["held_rows"], job.report["held_job_id"]) == (
        ImportJobState.AWAITING,
        1,
        job.pk,
    )
    assert ImportJob.objects.count() == 1
    confirm_held_rows(actor=operator, job=job, regions={job.report["held"][0]["key"]: "3702"})
    assert Enterprise.objects.get(name_zh=NO_PLACE).region.code == "3702"


def test_only_the_job_owner_or_an_operator_confirms(tmp_path, operator):
    path = write_csv(tmp_path / "c.csv", [row(NO_PLACE, "B1")])
    job = ImportJob.objects.get(pk=import_catalog(actor=operator, file=path).held_job_id)
    key = job.report["held"][0]["key"]
    admin = make_enterprise_admin()

    with pytest.raises(AccessDenied):
        confirm_held_rows(actor=admin, job=job, regions={key: "莱西市"})

    confirm_held_rows(actor=make_operator(), job=job, regions={key: "莱西市"})
    assert Product.objects.count() == 1


def test_an_enterprise_admin_importing_into_their_own_enterprise_never_holds_rows(tmp_path):
    admin = make_enterprise_admin()
    path = write_csv(tmp_path / "c.csv", [catalog_row(enterprise="", enterprise_en="")])

    report = import_catalog(actor=admin, file=path)

    assert (report.created, report.held_rows, ImportJob.objects.count()) == (1, 0, 0)


# The page ------------------------------------------------------------------------------------


def test_the_upload_page_leads_to_the_held_rows_and_their_confirmation(client, tmp_path, operator):
    regions = make_region_tree()
    path = write_csv(tmp_path / "c.csv", [row("莱西甲厂", "A1"), row(NO_PLACE, "B1")])
    client.force_login(operator)

    answer = client.post(
        "/en/import/",
        {"file": SimpleUploadedFile("c.csv", path.read_bytes(), content_type="text/csv")},
    )
    job = ImportJob.objects.get()
    page = client.get(answer["Location"])
    wrong = client.post(f"/en/import/jobs/{job.pk}/regions/", {"region-0": "火星"})
    right = client.post(f"/en/import/jobs/{job.pk}/regions/", {"region-0": "370285 莱西市"})

    assert answer.status_code == 302 and answer["Location"] == f"/en/import/jobs/{job.pk}/"
    assert page.context["held"][0]["name_zh"] == NO_PLACE
    assert page.context["held"][0]["rows"] == [3]
    assert "370285 山东省 青岛市 莱西市" in page.context["division_choices"]
    assert "Rows waiting for a region" in page.content.decode()
    assert wrong.status_code == 422
    assert wrong.context["held"][0]["error"] == "Pick a province, city or county from the list."
    assert wrong.context["held"][0]["value"] == "火星"
    assert right.status_code == 302
    assert Enterprise.objects.get(name_zh=NO_PLACE).region == regions["laixi"]
    assert client.get(right["Location"]).context["held"] == []


def test_another_user_gets_404_for_the_held_rows(client, tmp_path, operator):
    path = write_csv(tmp_path / "c.csv", [row(NO_PLACE, "B1")])
    job = ImportJob.objects.get(pk=import_catalog(actor=operator, file=path).held_job_id)
    client.force_login(make_enterprise_admin())

    page = client.get(f"/en/import/jobs/{job.pk}/")
    post = client.post(f"/en/import/jobs/{job.pk}/regions/", {"region-0": "莱西市"})

    assert (page.status_code, post.status_code) == (404, 404)
    assert Product.objects.count() == 0


def test_the_api_reports_held_rows_and_confirms_them(client, tmp_path, operator):
    from tests.factories.api import bearer

    path = write_csv(tmp_path / "c.csv", [row(NO_PLACE, "B1")])
    answer = client.post(
        "/api/catalog/imports",
        {"file": SimpleUploadedFile("c.csv", path.read_bytes(), content_type="text/csv")},
        headers=bearer(operator),
    ).json()
    key = answer["held"][0]["key"]
    url = f"/api/catalog/import-jobs/{answer['held_job_id']}/regions"

    bad = client.post(
        url, {"regions": {}}, content_type="application/json", headers=bearer(operator)
    )
    good = client.post(
        url, {"regions": {key: "莱西市"}}, content_type="application/json", headers=bearer(operator)
    )

    assert (answer["held_rows"], answer["created"]) == (1, 0)
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == [f"region:{key}"]
    assert (good.status_code, good.json()["state"], good.json()["report"]["created"]) == (
        200,
        "done",
        1,
    )


# The command line ------------------------------------------------------------------------------


def test_the_cli_as_a_user_holds_rows_and_says_where_to_confirm_them(tmp_path, operator):
    from io import StringIO

    from django.core.management import call_command

    path = write_csv(tmp_path / "c.csv", [row("莱西甲厂", "A1"), row(NO_PLACE, "B1")])
    out = StringIO()

    call_command("import_catalog", str(path), "--as", operator.username, stdout=out)

    job = ImportJob.objects.get()
    assert out.getvalue().splitlines()[-1] == (
        f"1 rows of new enterprises wait for their region: confirm them on the page of import "
        f"job {job.pk} (/import/jobs/{job.pk}/)."
    )


def test_the_cli_as_the_platform_cannot_hold_rows_and_reports_them_as_errors(tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = write_csv(tmp_path / "c.csv", [row("莱西甲厂", "A1"), row(NO_PLACE, "B1")])

    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), stdout=StringIO(), stderr=StringIO())

    assert (ImportJob.objects.count(), Product.objects.count()) == (0, 0)


def test_a_city_an_earlier_import_typed_without_its_suffix_is_reused(tmp_path, operator):
    path = write_csv(
        tmp_path / "a.csv", [catalog_row(enterprise="甲厂", province="山东", city="青岛")]
    )
    import_catalog(actor=operator, file=path)
    qingdao = Enterprise.objects.get().region

    path = write_csv(tmp_path / "b.csv", [row("青岛乙家具有限公司", "B1")])
    import_catalog(actor=operator, file=path)

    assert Enterprise.objects.get(name_zh="青岛乙家具有限公司").region == qingdao
    assert Region.objects.count() == 2
