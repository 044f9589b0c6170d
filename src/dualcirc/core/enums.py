from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise (factory / supplier)")
    BUYER = "buyer", _("Buyer")
    GOVERNMENT = "government", _("Government body")
    OPERATOR = "operator", _("Platform operator")


class BuyerType(models.TextChoices):
    DOMESTIC_RETAILER = "domestic_retailer", _("Domestic retailer")
    ECOMMERCE_SELLER = "ecommerce_seller", _("E-commerce seller")
    IMPORTER = "importer", _("Overseas importer")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
