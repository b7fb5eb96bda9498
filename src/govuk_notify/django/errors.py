"""Why the email backend refused a Django email before sending it."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import NotifyError

__all__ = ["EmailNotSupportedError", "InvalidEmailError"]


class EmailNotSupportedError(NotifyError, ValueError):
    """The email uses something GOV.UK Notify cannot send: nothing of that email was sent.

    Notify sends each email to one recipient, from the service's own address, through a
    template; it has no cc, bcc, attachments, HTML alternatives or custom headers. The message
    says what to do instead.

    Attributes:
        position: The email's position (from 1) in the list given to ``send_messages``.
        feature: What the email used: ``cc``, ``bcc``, ``attachments``, ``alternatives``,
            ``headers``, ``reply_to``, ``template``.
    """

    def __init__(self, position: int, feature: str, advice: str) -> None:
        """Make the error.

        Args:
            position: The email's position (from 1) in the list sent.
            feature: The field that GOV.UK Notify cannot honour.
            advice: What is wrong and what to do instead.
        """
        self.position = position
        self.feature = feature
        self.advice = advice
        super().__init__(position, feature, advice)

    def __str__(self) -> str:
        """Say which email, what it used, and what to do instead."""
        return f"Email {self.position}: {self.feature}: {self.advice}"


class InvalidEmailError(NotifyError, ValueError):
    """An email failed local validation (as Notify would refuse it): nothing of it was sent.

    The message names the email's and the recipient's positions and the fields, never the
    address or other personal data.

    Attributes:
        position: The email's position (from 1) in the list given to ``send_messages``.
        recipient: The recipient's position (from 1) in the email's ``to``.
        recipients: How many recipients the email has.
        problems: ``(field, message)`` pairs, such as
            ``("email_address", "Not a valid email address")``.
    """

    def __init__(
        self,
        position: int,
        recipient: int,
        recipients: int,
        problems: Sequence[tuple[str, str]],
    ) -> None:
        """Make the error.

        Args:
            position: The email's position (from 1) in the list sent.
            recipient: The recipient's position (from 1) in the email's ``to``.
            recipients: How many recipients the email has.
            problems: ``(field, message)`` pairs, without the values.
        """
        self.position = position
        self.recipient = recipient
        self.recipients = recipients
        self.problems = tuple(problems)
        super().__init__(position, recipient, recipients, self.problems)

    def __str__(self) -> str:
        """Name the email's and recipient's positions and the problems, not the address."""
        details = "; ".join(f"{field}: {message}" for field, message in self.problems)
        return f"Email {self.position}, recipient {self.recipient} of {self.recipients}: {details}"
