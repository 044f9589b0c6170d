"""Who acts in the demo's stories: the demo logins, and one member of staff per enterprise that
quotes or exhibits (fictional people without a password: they only appear in audit trails,
threads and booths)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
from dualcirc.core.enums import Role
from dualcirc.core.models import Membership, Organisation, User

# The enterprise of the laixi-admin / laixi-member logins acts through laixi-admin.
LOGIN_OF_ENTERPRISE = {"LXF01": "laixi-admin"}


@dataclass
class Cast:
    enterprises: dict[str, Enterprise]  # by demo key (LXF01 …)
    organisations: dict[str, Organisation]  # by demo key (buyer-hamburg …)
    users: dict[str, User]  # the demo logins, by username
    belts: dict[str, IndustrialBelt]  # by slug
    today: dt.date = field(default_factory=timezone.localdate)
    _staff: dict[str, User] = field(default_factory=dict)
    _products: dict[str, list[Product]] = field(default_factory=dict)

    def user(self, username: str) -> User:
        return self.users[username]

    def staff(self, key: str) -> User:
        """The person acting for enterprise ``key``: its demo login, else a member of staff
        created once (no usable password: nobody signs in as them)."""
        if key in LOGIN_OF_ENTERPRISE:
            return self.users[LOGIN_OF_ENTERPRISE[key]]
        if key not in self._staff:
            enterprise = self.enterprises[key]
            username = f"staff-{key.lower()}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    first_name="",
                    last_name=enterprise.name_zh[:20] or key,
                    email=f"{username}@demo.dualcirc.example",
                    preferred_language="zh-hans",
                    time_zone="Asia/Shanghai",
                )
                user.set_unusable_password()
                user.save()
            Membership.objects.get_or_create(
                user=user, organisation=enterprise.organisation, defaults={"role": Role.ADMIN}
            )
            self._staff[key] = user
        return self._staff[key]

    def products(self, key: str) -> list[Product]:
        """The published products of enterprise ``key``, in SKU order."""
        if key not in self._products:
            self._products[key] = list(
                Product.objects.filter(
                    enterprise=self.enterprises[key], status=ProductStatus.PUBLISHED
                ).order_by("sku")
            )
        return self._products[key]

    def product(self, key: str, word: str) -> Product:
        """The first published product of ``key`` whose English or Chinese title has ``word``."""
        for product in self.products(key):
            if word in product.title_en.lower() or word in product.title_zh:
                return product
        return self.products(key)[0]
