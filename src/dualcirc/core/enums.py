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


class AuditAction(models.TextChoices):
    """What an audit-log entry records (core.audit)."""

    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_IN_REFUSED = "sign_in_refused", _("Sign-in refused (locked out)")
    SIGN_OUT = "sign_out", _("Signed out")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor sign-in turned on")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor sign-in turned off")
    MEMBERSHIP_ADDED = "membership_added", _("Added to an organisation")
    MEMBERSHIP_CHANGED = "membership_changed", _("Role in an organisation changed")
    MEMBERSHIP_REMOVED = "membership_removed", _("Removed from an organisation")
    PRIVILEGES_CHANGED = "privileges_changed", _("Account privileges changed")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
    OPERATOR_ACTION = "operator_action", _("Operator action in the admin")
