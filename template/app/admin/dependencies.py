"""Who may use the admin API: a signed-in admin acting as themselves (`AdminUser`)."""

from typing import Annotated

from fastapi import Depends, status

from app.accounts.dependencies import SignedInDep
from app.errors import ApiError
from app.models.account import Role, User


def forbidden(detail: str) -> ApiError:
    return ApiError(status.HTTP_403_FORBIDDEN, "forbidden", detail)


async def admin_user(signed: SignedInDep) -> User:
    """403 for members, and for an admin while impersonating (the user is acting, not the admin)."""
    if signed.impersonator is not None:
        raise forbidden("Admin pages are closed while you act as another user: return first.")
    if signed.user.role != Role.ADMIN:
        raise forbidden("Only admins may do this.")
    return signed.user


AdminUser = Annotated[User, Depends(admin_user)]


async def not_impersonating(signed: SignedInDep) -> None:
    """Refuse what only the account's owner may do (their password, email, deletion)."""
    if signed.impersonator is not None:
        raise forbidden("Not while acting as another user: only they may change this.")
