"""Attachments in the messaging API, in two steps:

1. `POST /conversations/{id}/attachments` (multipart, field `file`) checks, scans and stores the
   file encrypted, and returns it (not yet in any message; dropped after a day if never sent);
2. `POST /conversations/{id}/messages` with `attachment_id` sends it (the body may be empty).

`GET /attachments/{id}/content` downloads a clean file, for the two parties only.
"""

import uuid

from ninja import File, Status, UploadedFile

from passemploi.accounts.schemas import ErrorOut
from passemploi.chat import attachments
from passemploi.chat.access import get_attachment_for_user, get_conversation_for_user
from passemploi.chat.api import attachment_out, router
from passemploi.chat.schemas import AttachmentOut
from passemploi.chat.services import party
from passemploi.core.api_support import caller
from passemploi.core.throttles import per_user

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.post(
    "/conversations/{uuid:conversation_id}/attachments",
    response={
        201: AttachmentOut,
        400: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        429: ErrorOut,
        **ERRORS,
    },
    throttle=per_user("API_RATE_UPLOADS"),
    summary="Déposer une pièce jointe",
    description=(
        "Envoi multipart (champ `file`) : PDF, PNG, JPEG ou WebP de 5 Mo au plus, type reconnu "
        "d'après le contenu, analysé par l'antivirus et chiffré. La pièce jointe part ensuite "
        "avec un message (`attachment_id`) ; non envoyée, elle est supprimée après un jour. "
        "Erreurs : `attachment_empty`, `attachment_too_large` (413), "
        "`attachment_type_not_allowed` (415), `attachment_corrupt`."
    ),
)
def upload_attachment(request, conversation_id: uuid.UUID, file: File[UploadedFile | None] = None):
    user = caller(request)
    conversation = get_conversation_for_user(user, conversation_id)
    party(user, conversation)
    checked = attachments.check_upload(file)  # no file: attachment_empty
    return Status(201, attachment_out(attachments.store(conversation, user, checked)))


@router.get(
    "/attachments/{uuid:attachment_id}/content",
    response={200: None, 409: ErrorOut, 410: ErrorOut, **ERRORS},
    summary="Télécharger une pièce jointe",
    description=(
        "Le fichier déchiffré, en `Content-Disposition: attachment`, pour les deux parties de la "
        "conversation seulement. Refusé tant qu'il n'est pas analysé (`attachment_pending`, "
        "409), s'il contient un virus (`attachment_infected`, 403) ou une fois expiré "
        "(`attachment_expired`, 410)."
    ),
    openapi_extra={
        "responses": {
            "200": {
                "description": "Le fichier",
                "content": {
                    "application/pdf": {},
                    "image/png": {},
                    "image/jpeg": {},
                    "image/webp": {},
                },
            }
        }
    },
)
def download_attachment(request, attachment_id: uuid.UUID):
    user = caller(request)
    return attachments.download_response(get_attachment_for_user(user, attachment_id))
