"""Data steps of core's migrations, run with Django's migration executor on the test database."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("core", "0002_audit_totp")]
AFTER = [("core", "0003_demo_password")]


@pytest.mark.django_db(transaction=True)  # migrations run outside a test's transaction
def test_migration_0003_marks_the_accounts_that_keep_a_published_demo_password():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old_user = executor.loader.project_state(BEFORE).apps.get_model("core", "User")
        kept = old_user.objects.create(
            username="laixi-admin",
            email="laixi-admin@demo.dualcirc.example",
            password=make_password("admin-demo"),  # published by `dualcirc demo`
        )
        changed = old_user.objects.create(
            username="laixi-member",
            email="laixi-member@demo.dualcirc.example",
            password=make_password("a password of their own"),
        )

        executor = MigrationExecutor(connection)  # a fresh graph: the one above is migrated
        executor.migrate(AFTER)
        new_user = executor.loader.project_state(AFTER).apps.get_model("core", "User")
        marks = dict(new_user.objects.values_list("username", "demo_password"))
    finally:
        MigrationExecutor(connection).migrate(leaves)  # forward again, for the other tests

    assert marks == {kept.username: kept.password, changed.username: ""}
