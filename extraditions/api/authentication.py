"""API tokens in requests: ``Authorization: Bearer <token>`` (or ``Token <token>``, as before).

Only an unexpired, unrevoked token of an active member of staff is accepted (extraditions/tokens.py);
anything else given as a token is a 401, never a quiet fall back to the public's view. The user a
token authenticates counts as having passed the second factor, as a session does once the code
was given: :func:`extraditions.visibility.is_staff_session` then treats the request as staff's.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from extraditions.tokens import find_usable_token

KEYWORDS = (b"bearer", b"token")  # schemes are case-insensitive (RFC 9110)


def _verified() -> bool:
    return True


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # no token: a session, or the public
        if len(parts) != 2:
            raise AuthenticationFailed("Give the token as 'Authorization: Bearer <token>'.")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("A token is made of ASCII letters, digits, '-' and '_'.") from None
        token = find_usable_token(secret)
        if token is None:
            raise AuthenticationFailed("Unknown, expired or revoked token, or an account that is not active staff.")
        user = token.user
        # As django_otp's middleware does for a session that gave its code.
        user.otp_device = None
        user.is_verified = _verified
        # For the audit of restricted views (RestrictedRecordView.api_token).
        user.api_token = token
        return user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A staff member's API token, issued by an administrator (`Token <token>` is also accepted).",
        }
