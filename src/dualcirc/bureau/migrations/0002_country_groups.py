from django.db import migrations


def seed(apps, schema_editor):
    from dualcirc.bureau.demo import COUNTRY_GROUPS

    CountryGroup = apps.get_model("bureau", "CountryGroup")
    for slug, group in COUNTRY_GROUPS.items():
        # This model has no name_vi yet: 0007 writes it.
        CountryGroup.objects.get_or_create(
            slug=slug,
            defaults={"name_zh": group.name_zh, "name_en": group.name_en,
                      "countries": group.countries},
        )


class Migration(migrations.Migration):
    dependencies = [("bureau", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
