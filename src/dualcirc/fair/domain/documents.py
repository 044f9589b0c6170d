"""Booth documents: files an exhibitor shows at its booth, checked by content and size."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.core.access import can_act_for_registration, require
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.core.models import User
from dualcirc.fair.models import Booth, BoothDocument, BoothDocumentOpen

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 20
DOCUMENT_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


def document_type(upload: UploadedFile) -> str | None:
    """The content type of ``upload`` read from its first bytes (a PDF, PNG, JPEG, GIF or
    WebP image), or None. The name and the browser's claimed type are not trusted."""
    head = upload.read(12)
    upload.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for signature, content_type in DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


@transaction.atomic
def add_booth_document(
    *, actor: User, booth: Booth, upload: UploadedFile, title: str = ""
) -> BoothDocument:
    """Show a PDF or an image at ``booth`` (the exhibitor's members only).

    Raises AccessDenied, InvalidInput naming ``file`` (not a PDF or image by content, empty,
    larger than 10 MB, more than 20 at the booth) or ``title`` (too long). Side effects: a
    BoothDocument row and its file under MEDIA_ROOT/fair/booths/<booth>/.
    """
    require(can_act_for_registration(actor, booth.registration))
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    errors: list[FieldError] = []
    size = upload.size or 0
    content_type = document_type(upload) if size else None
    if size == 0:
        errors.append(FieldError("file", _("%(name)s is empty.") % {"name": name}))
    elif size > MAX_DOCUMENT_BYTES:
        errors.append(FieldError("file", _("%(name)s is larger than 10 MB.") % {"name": name}))
    elif content_type is None:
        errors.append(
            FieldError(
                "file",
                _("%(name)s is not a PDF or an image (PNG, JPEG, GIF, WebP).") % {"name": name},
            )
        )
    if booth.files.count() >= MAX_DOCUMENTS:
        errors.append(
            FieldError("file", _("A booth shows at most %(n)d files.") % {"n": MAX_DOCUMENTS})
        )
    title = title.strip() or name
    if len(title) > 200:
        errors.append(FieldError("title", _("At most 200 characters.")))
    if errors:
        raise InvalidInput(_("The document was not added."), errors)
    assert content_type is not None
    document = BoothDocument(
        booth=booth, title=title, name=name, content_type=content_type, size=size
    )
    document.file.save(name, upload, save=False)
    document.save()
    return document


@transaction.atomic
def remove_booth_document(*, actor: User, document: BoothDocument) -> None:
    """Take a document off its booth. Side effects: the row and its file are deleted (the
    file once the transaction commits)."""
    require(can_act_for_registration(actor, document.booth.registration))
    storage, path = document.file.storage, document.file.name
    document.delete()
    if path:
        transaction.on_commit(lambda: storage.delete(path))


@transaction.atomic
def record_document_open(*, document: BoothDocument, reader: User | None) -> bool:
    """Count one opening of a booth document (per reader and day; anonymous readers share one
    counter), for the exhibitor's lead scores. The exhibitor's own people are not counted.
    Returns whether it was counted. Side effects: a BoothDocumentOpen row created or
    incremented (under a lock on the document's row, as record_booth_visit does)."""
    user = reader if reader is not None and reader.is_authenticated else None
    if user is not None and can_act_for_registration(user, document.booth.registration):
        return False
    BoothDocument.objects.select_for_update().filter(pk=document.pk).values_list(
        "pk", flat=True
    ).get()
    row, _created = BoothDocumentOpen.objects.get_or_create(
        document=document, visitor=user, day=timezone.localdate()
    )
    BoothDocumentOpen.objects.filter(pk=row.pk).update(count=F("count") + 1)
    return True
