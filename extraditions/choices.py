"""Enumerations shared by more than one app."""

from django.db import models


class ChineseParty(models.TextChoices):
    """The Chinese side of a request, notice or treaty."""

    PRC = "PRC", "People's Republic of China"
    HKSAR = "HKSAR", "Hong Kong SAR"
