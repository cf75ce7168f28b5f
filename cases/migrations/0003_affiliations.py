"""Data migration: the standard affiliations researchers pick from (they can add more)."""

from django.db import migrations

AFFILIATIONS = [
    ("uyghur", "Uyghur"),
    ("tibetan", "Tibetan"),
    ("kazakh", "Kazakh"),
    ("taiwanese", "Taiwanese national"),
    ("falun-gong", "Falun Gong practitioner"),
    ("hong-kong-activist", "Hong Kong activist"),
    ("human-rights-defender", "Human rights defender"),
    ("former-official", "Former official"),
    ("businessperson", "Businessperson"),
    ("dissident", "Political dissident"),
    ("journalist", "Journalist or writer"),
    ("religious", "Religious believer"),
    ("other", "Other"),
]


def add_affiliations(apps, schema_editor):
    Affiliation = apps.get_model("cases", "Affiliation")
    for slug, name in AFFILIATIONS:
        Affiliation.objects.get_or_create(slug=slug, defaults={"name": name})


def remove_affiliations(apps, schema_editor):
    apps.get_model("cases", "Affiliation").objects.filter(slug__in=[slug for slug, _ in AFFILIATIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunPython(add_affiliations, remove_affiliations)]
