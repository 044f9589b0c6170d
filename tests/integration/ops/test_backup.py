"""Back up, destroy, restore, compare — on the database the suite runs on (SQLite or
PostgreSQL), with real uploaded files."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from dualcirc.catalog.models import Enterprise, Product, ProductImage
from dualcirc.core.models import Organisation
from tests.factories import make_product
from tests.factories.pages import PagesWorld, add_image

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> dict[str, object]:
    return {
        "enterprises": sorted(Enterprise.objects.values_list("name_zh", "credit_code")),
        "products": sorted(Product.objects.values_list("sku", "title_en", "status", "price_min")),
        "organisations": sorted(Organisation.objects.values_list("name", flat=True)),
        "files": {
            str(p.relative_to(settings.MEDIA_ROOT)): p.read_bytes()
            for p in Path(settings.MEDIA_ROOT).rglob("*")
            if p.is_file()
        },
    }


def test_backup_restore_brings_back_rows_and_files_after_destruction(tmp_path: Path) -> None:
    world = PagesWorld()
    product = make_product(enterprise=world.factory, sku="OAK-1", title_en="Oak table")
    image = add_image(actor=world.member, product=product)
    before = _snapshot()
    archive = tmp_path / "site.tar.gz"

    call_command("backup", out=archive, verbosity=0)
    # Destroy: rows, uploaded files and the index snapshot.
    ProductImage.objects.all().delete()
    Product.objects.all().delete()
    for path in Path(settings.MEDIA_ROOT).rglob("*.png"):
        path.unlink()
    assert Product.objects.count() == 0
    call_command("restore", str(archive), yes=True, verbosity=0)

    after = _snapshot()
    assert after == before
    assert ProductImage.objects.get().image.name == image.image.name
    assert Path(settings.MEDIA_ROOT, image.image.name).read_bytes() == image.image.read()


def test_backup_archive_lists_every_member_with_its_checksum(tmp_path: Path) -> None:
    world = PagesWorld()
    add_image(actor=world.member, product=make_product(enterprise=world.factory))
    archive = tmp_path / "b.tar.gz"

    call_command("backup", out=archive, verbosity=0)

    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile("MANIFEST.json").read())  # type: ignore[union-attr]
    database = (
        "database.dump"
        if "postgres" in settings.DATABASES["default"]["ENGINE"]
        else ("database.sqlite3")
    )
    assert database in names
    # The photo and its two thumbnails (catalog.images).
    assert sum(1 for n in names if n.startswith("media/products/")) == 3
    applied = MigrationRecorder(connection).applied_migrations()
    assert manifest["format"] == 1
    assert manifest["migrations"]["core"] == max(name for app, name in applied if app == "core")
    assert set(manifest["members"]) == names - {"MANIFEST.json"}


def test_restore_refuses_a_damaged_archive_and_changes_nothing(tmp_path: Path) -> None:
    world = PagesWorld()
    make_product(enterprise=world.factory, sku="KEEP-1")
    archive = tmp_path / "b.tar.gz"
    call_command("backup", out=archive, verbosity=0)
    # Flip one member's bytes by rewriting the archive with a changed database file.
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("database."):
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    make_product(enterprise=world.factory, sku="AFTER-1")

    with pytest.raises(CommandError, match="missing or damaged"):
        call_command("restore", str(damaged), yes=True, verbosity=0)

    assert sorted(Product.objects.values_list("sku", flat=True)) == ["AFTER-1", "KEEP-1"]
