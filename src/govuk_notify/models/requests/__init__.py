"""Request models: one per send, plus the list filters.

Each validates its input the way the Notify server does, when it is made and before anything is
sent: a request the server would accept is never refused, and a mistake that can be found without
the service's state raises pydantic's `ValidationError` naming the field, in the server's own
words. The models are frozen and refuse unknown fields; their errors never quote the input.
Build one where the input arrives and send it later with `NotifyClient.send`.

Example:
    ```python
    request = SmsRequest(phone_number="07700 900123", template_id=template_id)  # checked here
    response = client.send(request)  # an SmsResponse
    ```
"""


# One module per concern: the shared field types (_fields), file uploads (files), each send
# (sms, email, letters) and the list filters (filters). Every name is importable from here.
#
# Each model that has an id field declares its ``__init__`` for type checkers only: the fields
# read as ``uuid.UUID``, but an id may be given as ``str`` too, which plain mypy (without
# pydantic's plugin) would otherwise refuse. tests/test_typed_init.py keeps these signatures equal
# to the fields.
#
# The checks of ..validation (libphonenumber and the address rules among them) are imported by
# the validators that use them, on their first call: ``import govuk_notify`` does not pay for them.

from ._fields import MAX_REFERENCE_LENGTH as MAX_REFERENCE_LENGTH
from ._fields import Id as Id
from ._fields import Reference as Reference
from ._fields import _uuid as _uuid
from .email import EmailRequest
from .files import MAX_FILE_SIZE, FileUpload
from .files import EmailPersonalisationValue as EmailPersonalisationValue
from .files import Personalisation as Personalisation
from .filters import NotificationFilters
from .letters import AddressLine as AddressLine
from .letters import LetterPersonalisation, LetterRequest, PrecompiledLetterRequest
from .letters import PrecompiledPostage as PrecompiledPostage
from .sms import SmsRequest

__all__ = [
    "MAX_FILE_SIZE",
    "EmailRequest",
    "FileUpload",
    "LetterPersonalisation",
    "LetterRequest",
    "NotificationFilters",
    "PrecompiledLetterRequest",
    "SmsRequest",
]
