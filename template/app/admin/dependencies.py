"""Who may use the admin API: a signed-in admin acting as themselves (`AdminUser`)."""

from typing import Annotated

from fastapi import Depends

from app.accounts.dependencies import SignedInDep, forbidden
from app.models.account import Role, User


async def admin_user(signed: SignedInDep) -> User:
    """403 for members, and for an admin while impersonating (the user is acting, not the admin)."""
    if signed.impersonator is not None:
        raise forbidden("Admin pages are closed while you act as another user: return first.")
    if signed.user.role != Role.ADMIN:
        raise forbidden("Only admins may do this.")
    return signed.user


AdminUser = Annotated[User, Depends(admin_user)]
