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


class ProductSort(models.TextChoices):
    """Orders of the product list: the ``sort`` parameter of the page and the API (the values)
    and the sort menu of the page (the labels). Each puts the products without the value last
    and the newest change first among equals (catalog.queries.list_products)."""

    NEWEST = "newest", _("Newest")
    PRICE = "price", _("Lowest price")  # compared in CNY at the platform's rates
    MOQ = "moq", _("Lowest MOQ")
    LEAD_TIME = "lead_time", _("Shortest lead time")
