"""Token authentication (`Authorization: Token <key>`), DRF's rule with a cheaper read.

DRF's TokenAuthentication reads the token and its user with the ORM's
`select_related("user").get(key=…)`, which costs Django five times the CPU of the query it
sends; every API request with a token pays it. Here the user is read by the same join,
written once per process. The rule is DRF's: an unknown key or an inactive user is a 401.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token


@cache
def _user_by_key_sql() -> str:
    users, tokens, quote = get_user_model()._meta, Token._meta, connection.ops.quote_name
    return (
        f"SELECT u.* FROM {quote(users.db_table)} u"  # noqa: S608 - names from the models
        f" JOIN {quote(tokens.db_table)} t ON t.{quote(tokens.get_field('user').column)}"
        f" = u.{quote(users.pk.column)}"
        f" WHERE t.{quote(tokens.pk.column)} = %s"
    )


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        found = list(get_user_model().objects.raw(_user_by_key_sql(), [key]))
        if not found:
            raise exceptions.AuthenticationFailed("Invalid token.")
        user = found[0]
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        # request.auth: the token, of which nothing but its key and user is read
        return user, Token(key=key, user=user)
