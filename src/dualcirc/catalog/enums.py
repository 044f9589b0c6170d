from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessModel(models.TextChoices):
    OEM = "oem", _("OEM")
    ODM = "odm", _("ODM")
    OWN_BRAND = "own_brand", _("Own brand")


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ListingLanguage(models.TextChoices):
    ZH = "zh", _("Chinese")
    EN = "en", _("English")
    VI = "vi", _("Vietnamese")


CURRENCIES = ["CNY", "USD", "EUR", "VND", "JPY", "KRW", "GBP", "HKD", "THB", "IDR", "MYR", "SGD"]
