"""Route dependencies: who is signed in (`CurrentUser`), read from the session cookie, and who
acts as themselves (`not_impersonating`)."""

from typing import Annotated

import structlog
from fastapi import Depends, Request, status
from fastapi.security import APIKeyCookie

from app.accounts.impersonation import audit_changes, stop_auditing_changes
from app.accounts.sessions import SignedIn, find_session
from app.db import SessionDep
from app.errors import ApiError
from app.models.account import User
from app.settings import get_settings

logger = structlog.get_logger(__name__)


class SessionCookie(APIKeyCookie):
    """The cookie security scheme in OpenAPI; the cookie's real name comes from the settings."""

    async def __call__(self, request: Request) -> str | None:  # type: ignore[override]
        return request.cookies.get(get_settings().session_cookie_name)


session_cookie = SessionCookie(
    name="session",
    scheme_name="sessionCookie",
    description="HttpOnly session cookie set by log-in (named `__Host-session` in production).",
    auto_error=False,
)


def not_authenticated() -> ApiError:
    return ApiError(status.HTTP_401_UNAUTHORIZED, "not_authenticated", "Log in to continue.")


async def signed_in(
    db: SessionDep, request: Request, token: Annotated[str | None, Depends(session_cookie)]
) -> SignedIn:
    """The caller's live session and user (one indexed query), or 401."""
    found = await find_session(db, token) if token else None
    if found is None:
        raise not_authenticated()
    if found.impersonator is not None:  # an admin acting as the user: both ids, every request
        logger.info(
            "impersonated_request",
            admin_id=str(found.impersonator.id),
            user_id=str(found.user.id),
            method=request.method,
            path=request.url.path,
        )
        audit_changes(db, found.impersonator, found.user, request)
    else:
        stop_auditing_changes(db)
    return found


SignedInDep = Annotated[SignedIn, Depends(signed_in)]


async def current_user(signed: SignedInDep) -> User:
    return signed.user


CurrentUser = Annotated[User, Depends(current_user)]


def forbidden(detail: str) -> ApiError:
    return ApiError(status.HTTP_403_FORBIDDEN, "forbidden", detail)


async def not_impersonating(signed: SignedInDep) -> None:
    """Refuse what only the account's owner may do (their password, email, deletion, sessions)."""
    if signed.impersonator is not None:
        raise forbidden("Not while acting as another user: only they may change this.")
