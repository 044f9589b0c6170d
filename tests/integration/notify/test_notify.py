"""notify(): one row per recipient, e-mail after commit in the recipient's language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from dualcirc.notify.context_processors import notifications
from dualcirc.notify.domain import mark_read, notify, unread_count
from dualcirc.notify.models import Notification
from tests.factories import make_user

pytestmark = pytest.mark.django_db


class Target:
    pk = 7

    def __str__(self) -> str:
        return "DC-2026-000007"


def test_notify_writes_rows_skips_the_actor_and_mails_after_commit(
    django_capture_on_commit_callbacks,
):
    actor = make_user()
    zh = make_user(preferred_language="zh-hans")
    en = make_user(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            [actor, zh, en, en], "order_changed", Target(), "/en/deals/orders/7/", actor=actor
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert sorted(n.recipient.username for n in rows) == sorted([zh.username, en.username])
    assert len(mail.outbox) == 2
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[en.email] == "[dualcirc] Order DC-2026-000007 changed state."
    assert subjects[zh.email].startswith("[dualcirc] ")
    assert "/en/deals/orders/7/" in mail.outbox[0].body


def test_notify_refuses_unknown_verbs():
    with pytest.raises(ValueError):
        notify([make_user()], "made_up", Target())


def test_mark_read_touches_only_own_notifications():
    me, other = make_user(), make_user()
    mine = notify([me], "message", Target(), email=False)[0]
    theirs = notify([other], "message", Target(), email=False)[0]
    assert unread_count(me) == 1
    assert mark_read(user=me, ids=[mine.pk, theirs.pk]) == 1
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert unread_count(me) == 0


def test_notify_sends_no_mail_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = make_user(preferred_language="en")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify([user], "message", Target())
        raise RuntimeError("the deal write failed")
    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.count() == 0


def test_bell_shows_the_unread_count_and_counts_only_when_shown(django_assert_num_queries):
    me = make_user(preferred_language="en")
    notify([me], "message", Target(), email=False)
    notify([me], "message", Target(), email=False)
    client = Client()
    client.force_login(me)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/en/notifications/").content.decode()
    assert '<span class="badge count" id="unread-count">2</span>' in page
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 2  # the paginator's and the unread count, shared with the bell

    request = RequestFactory().get("/")
    request.user = me
    with django_assert_num_queries(0):
        context = notifications(request)
    with django_assert_num_queries(1):
        assert str(context["unread_notifications"]) == "2"
        assert bool(context["unread_notifications"]) is True
