from django.db import migrations


def seed(apps, schema_editor):
    from dualcirc.bureau.demo import COUNTRY_GROUPS

    CountryGroup = apps.get_model("bureau", "CountryGroup")
    for slug, (zh, en, countries) in COUNTRY_GROUPS.items():
        CountryGroup.objects.get_or_create(
            slug=slug, defaults={"name_zh": zh, "name_en": en, "countries": countries}
        )


class Migration(migrations.Migration):
    dependencies = [("bureau", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
