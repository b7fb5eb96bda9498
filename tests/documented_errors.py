"""The error table rows of the official client documentation (GOV.UK Notify's Python client
documentation, "Error codes" tables of every endpoint), copied as data: (status, error, message).
Crown copyright, Open Government Licence v3.0."""

from __future__ import annotations

DOCUMENTED_ERRORS: list[tuple[int, str, str]] = [
    (400, "BadRequestError", "Can't send to this recipient using a team-only API key"),
    (
        400,
        "BadRequestError",
        "Can't send to this recipient when service is in trial mode - see https://www.notifications.service.gov.uk/trial-mode",
    ),
    (
        400,
        "BadRequestError",
        "Cannot send letters when service is in trial mode - see https://www.notifications.service.gov.uk/trial-mode",
    ),
    (400, "BadRequestError", "Cannot send letters with a team api key"),
    (400, "BadRequestError", "File did not pass the virus scan"),
    (400, "BadRequestError", "Letter content is not a valid PDF"),
    (400, "BadRequestError", "Missing personalisation: [PERSONALISATION FIELD]"),
    (400, "BadRequestError", "PDF not available for letters in technical-failure"),
    (
        400,
        "BadRequestError",
        "Send files by email has not been set up - add contact details for your service at https://www.notifications.service.gov.uk/services/(SERVICE ID)/service-settings/send-files-by-email",
    ),
    (
        400,
        "BadRequestError",
        "Unsupported file type '(FILE TYPE)'. Supported types are: '(ALLOWED TYPES)'",
    ),
    (400, "NoResultFound", "No result found"),
    (400, "PDFNotReadyError", "PDF not available yet, try again later"),
    (400, "ValidationError", "Last line of address must be a real UK postcode or another country"),
    (400, "ValidationError", "Must be a real UK postcode"),
    (400, "ValidationError", "Notification is not a letter"),
    (400, "ValidationError", "id is not a valid UUID"),
    (400, "ValidationError", "personalisation address_line_1 is a required property"),
    (400, "ValidationError", "postage invalid. It must be either first or second."),
    (400, "ValidationError", "reference is a required property"),
    (
        400,
        "ValidationError",
        "status ‘elephant’ is not one of [cancelled, created, sending, sent, delivered, pending, failed, technical-failure, temporary-failure, permanent-failure, pending-virus-check, validation-failed, virus-scan-failed, returned-letter, accepted, received]",
    ),
    (400, "ValidationError", "‘Apple’ is not one of [sms, email, letter]"),
    (403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds"),
    (403, "AuthError", "Invalid token: API key not found"),
    (404, "NoResultFound", "No Result Found"),
    (404, "NoResultFound", "No result found"),
    (
        429,
        "RateLimitError",
        "Exceeded rate limit for key type TEAM/TEST/LIVE of 3000 requests per 60 seconds",
    ),
    (429, "RateLimitError", "Exceeded rate limit for key type live of 10 requests per 20 seconds"),
    (429, "TooManyRequestsError", "Exceeded send limits (50) for today"),
    (429, "TooManyRequestsError", "Exceeded send limits (LIMIT NUMBER) for today"),
    (500, "Exception", "Internal server error"),
]
