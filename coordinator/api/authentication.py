"""Token authentication (`Authorization: Token <key>`), DRF's rule with a cheaper read.

DRF's TokenAuthentication reads the token and its user with the ORM's
`select_related("user").get(key=…)`, which costs Django five times the CPU of the query it
sends; every API request with a token pays it. Here the user is read by the same join,
written once per process, and its columns converted as the ORM does (coordinator/sql_rows.py;
a RawQuerySet still cost twice the query). The rule is DRF's: an unknown key or an inactive
user is a 401.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from coordinator import sql_rows


@cache
def _user_by_key() -> tuple[str, tuple]:
    users, tokens, quote = get_user_model()._meta, Token._meta, connection.ops.quote_name
    shape = sql_rows.select_shape(get_user_model())
    sql = (
        f"SELECT {shape[0]} FROM {quote(users.db_table)}"  # noqa: S608 - names from the models
        f" JOIN {quote(tokens.db_table)} ON {quote(tokens.db_table)}"
        f".{quote(tokens.get_field('user').column)} = {quote(users.db_table)}"
        f".{quote(users.pk.column)}"
        f" WHERE {quote(tokens.db_table)}.{quote(tokens.pk.column)} = %s"
    )
    return sql, shape


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        sql, shape = _user_by_key()
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        user = sql_rows.instance(get_user_model(), shape, row)
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        # request.auth: the token, of which nothing but its key and user is read
        return user, Token(key=key, user=user)
