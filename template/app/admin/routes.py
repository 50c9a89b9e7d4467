"""HTTP routes of the admin console (tag `admin`, admins only) and the way back from "log in as"
(tag `impersonation`, for the impersonating session)."""

import asyncio
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from sqlalchemy.orm import aliased
from sqlmodel import col, func, or_, select

from app.accounts.dependencies import SignedInDep, forbidden
from app.accounts.impersonation import (
    end_impersonation,
    start_impersonation,
)
from app.accounts.roles import set_role
from app.accounts.sessions import is_live, live_limits, revoke_sessions
from app.accounts.tasks import PasswordResetRequested, send_password_reset
from app.admin.dependencies import AdminUser
from app.admin.schemas import (
    AuditEventPublic,
    AuditEventsPage,
    RoleChange,
    UserAdminView,
    UserDetail,
    UserSession,
    UsersPage,
)
from app.audit.events import record
from app.db import SessionDep
from app.errors import ApiError, error_responses
from app.models.account import EMAIL_MAX_LENGTH, LoginSession, Role, User, UserId
from app.models.audit import AuditEvent, AuditKind
from app.models.item import Item
from app.models.types import PageLimit, PageOffset, text
from app.routes import API_PREFIX

admin_router = APIRouter(
    prefix=f"{API_PREFIX}/admin", tags=["admin"], responses=error_responses(403, 404)
)
impersonation_router = APIRouter(
    prefix=f"{API_PREFIX}/impersonation",
    tags=["impersonation"],
    responses=error_responses(403, 409),
)

EmailSearch = Annotated[str, text(max_length=EMAIL_MAX_LENGTH)]


async def _user_or_404(db: SessionDep, user_id: UserId) -> User:
    user = await db.get(User, user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"User {user_id} not found")
    return user


def _not_on_yourself(admin: User, user: User) -> None:
    if admin.id == user.id:
        raise ApiError(
            status.HTTP_409_CONFLICT,
            "own_account",
            "Not on your own account: ask another admin (so the last admin cannot lock out).",
        )


def _contains(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@admin_router.get("/users", response_model=UsersPage)
async def list_users(
    db: SessionDep,
    admin: AdminUser,
    email: Annotated[EmailSearch | None, Query(description="Part of the email")] = None,
    limit: PageLimit = 20,
    offset: PageOffset = 0,
) -> UsersPage:
    """Every user, newest first, or those whose email contains `email` (any case)."""
    where = [col(User.email).ilike(_contains(email))] if email else []
    total = (await db.exec(select(func.count()).select_from(User).where(*where))).one()
    rows = await db.exec(
        select(User).where(*where).order_by(col(User.id).desc()).offset(offset).limit(limit)
    )
    users = [UserAdminView.model_validate(user) for user in rows]
    return UsersPage(items=users, total=total, limit=limit, offset=offset)


@admin_router.get("/users/{user_id}", response_model=UserDetail)
async def read_user(db: SessionDep, admin: AdminUser, user_id: UserId) -> UserDetail:
    """One user with their live sessions, item count and last login."""
    user = await _user_or_404(db, user_id)
    sessions = await db.exec(
        select(LoginSession)
        .where(col(LoginSession.user_id) == user.id, is_live())
        .order_by(col(LoginSession.last_seen_at).desc()),
        params=live_limits(),
    )
    item_count = (
        await db.exec(select(func.count()).select_from(Item).where(col(Item.owner_id) == user.id))
    ).one()
    last_login_at = (
        await db.exec(
            select(func.max(AuditEvent.created_at)).where(
                col(AuditEvent.subject_id) == user.id, col(AuditEvent.kind) == AuditKind.LOGGED_IN
            )
        )
    ).one()
    return UserDetail.model_validate(
        user,
        update={
            "sessions": [UserSession.model_validate(session) for session in sessions],
            "item_count": item_count,
            "last_login_at": last_login_at,
        },
    )


@admin_router.post(
    "/users/{user_id}/deactivate", response_model=UserAdminView, responses=error_responses(409)
)
async def deactivate_user(
    db: SessionDep, admin: AdminUser, user_id: UserId, request: Request
) -> User:
    """The user can no longer log in, and every session they have ends at once."""
    user = await _user_or_404(db, user_id)
    _not_on_yourself(admin, user)
    if not user.is_active:
        return user
    user.is_active = False
    db.add(user)
    record(db, AuditKind.USER_DEACTIVATED, actor=admin, subject=user, request=request)
    await revoke_sessions(db, user, request=request)  # commits the change, events included
    return user


@admin_router.post("/users/{user_id}/reactivate", response_model=UserAdminView)
async def reactivate_user(
    db: SessionDep, admin: AdminUser, user_id: UserId, request: Request
) -> User:
    """The user may log in again (their old sessions stay ended)."""
    user = await _user_or_404(db, user_id)
    if user.is_active:
        return user
    user.is_active = True
    db.add(user)
    record(db, AuditKind.USER_REACTIVATED, actor=admin, subject=user, request=request)
    await db.commit()
    return user


@admin_router.put(
    "/users/{user_id}/role", response_model=UserAdminView, responses=error_responses(409)
)
async def change_role(
    db: SessionDep, admin: AdminUser, user_id: UserId, body: RoleChange, request: Request
) -> User:
    """Make a member an admin or back (not yourself: another admin must)."""
    user = await _user_or_404(db, user_id)
    _not_on_yourself(admin, user)
    await set_role(db, user, body.role, actor=admin, request=request)
    return user


@admin_router.post(
    "/users/{user_id}/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    response_class=Response,
)
async def send_user_password_reset(
    db: SessionDep, admin: AdminUser, user_id: UserId, request: Request
) -> Response:
    """Email the user a password-reset link, as if they had asked for one."""
    user = await _user_or_404(db, user_id)
    record(db, AuditKind.PASSWORD_RESET_SENT, actor=admin, subject=user, request=request)
    await db.commit()
    await asyncio.to_thread(send_password_reset.enqueue, PasswordResetRequested(email=user.email))
    return Response(status_code=status.HTTP_202_ACCEPTED)


@admin_router.post(
    "/users/{user_id}/impersonation",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(409),
)
async def impersonate_user(
    db: SessionDep, admin: AdminUser, signed: SignedInDep, user_id: UserId, request: Request
) -> None:
    """Log in as the user in this browser, until "return to admin", log-out or the time limit."""
    user = await _user_or_404(db, user_id)
    if user.role == Role.ADMIN:
        raise forbidden("Admins cannot be impersonated.")
    if not user.is_active:
        raise ApiError(status.HTTP_409_CONFLICT, "user_inactive", "This account is deactivated.")
    await start_impersonation(db, signed.session, admin, user, request)


@admin_router.get("/audit-events", response_model=AuditEventsPage)
async def list_audit_events(
    db: SessionDep,
    admin: AdminUser,
    user_id: Annotated[UserId | None, Query(description="As actor or subject")] = None,
    kind: AuditKind | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> AuditEventsPage:
    """The audit trail, newest first, filtered by user, kind and time (`since` ≤ t < `until`)."""
    where = []
    if user_id is not None:
        where.append(
            or_(col(AuditEvent.actor_id) == user_id, col(AuditEvent.subject_id) == user_id)
        )
    if kind is not None:
        where.append(col(AuditEvent.kind) == kind)
    if since is not None:
        where.append(col(AuditEvent.created_at) >= since)
    if until is not None:
        where.append(col(AuditEvent.created_at) < until)
    total = (await db.exec(select(func.count()).select_from(AuditEvent).where(*where))).one()
    actor, subject = aliased(User), aliased(User)
    rows = await db.exec(
        select(AuditEvent, actor.email, subject.email)
        .outerjoin(actor, col(actor.id) == col(AuditEvent.actor_id))
        .outerjoin(subject, col(subject.id) == col(AuditEvent.subject_id))
        .where(*where)
        .order_by(col(AuditEvent.id).desc())
        .offset(offset)
        .limit(limit)
    )
    events = [
        AuditEventPublic.model_validate(
            event, update={"actor_email": actor_email, "subject_email": subject_email}
        )
        for event, actor_email, subject_email in rows
    ]
    return AuditEventsPage(items=events, total=total, limit=limit, offset=offset)


@impersonation_router.delete("", status_code=status.HTTP_204_NO_CONTENT)
async def return_to_admin(db: SessionDep, signed: SignedInDep, request: Request) -> None:
    """End "log in as": this browser is the admin again."""
    if signed.impersonator is None:
        raise ApiError(
            status.HTTP_409_CONFLICT, "not_impersonating", "You are not acting as another user."
        )
    await end_impersonation(db, signed.session, "returned", request)
