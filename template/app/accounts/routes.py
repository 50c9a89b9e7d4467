"""HTTP routes of the accounts area: `auth` (signing up, in and out, emailed links) and
`account` (the signed-in user's own account and sessions)."""

import asyncio
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select

from app.accounts import rate_limits
from app.accounts.dependencies import (
    CurrentUser,
    SignedInDep,
    not_impersonating,
    session_cookie,
    signed_in,
)
from app.accounts.email_tokens import consume_email_token, forget_email_tokens
from app.accounts.emails import (
    add_undo_link,
    send_email_changed_email,
    send_password_changed_email,
    send_verification_email,
)
from app.accounts.impersonation import end_impersonation, end_impersonations_of
from app.accounts.password_guesses import client_ip, guesser, remember_device
from app.accounts.passwords import (
    hash_password,
    password_problem,
    spend_a_verification,
    verify_password,
)
from app.accounts.schemas import (
    AccountDeletion,
    AccountPublic,
    Credentials,
    EmailChange,
    EmailVerificationConfirmation,
    PasswordChange,
    PasswordResetConfirmation,
    PasswordResetRequest,
    SessionPublic,
    UserPublic,
)
from app.accounts.sessions import (
    clear_cookie,
    find_session,
    is_live,
    live_limits,
    revoke_sessions,
    revoke_token,
    start_session,
)
from app.accounts.tasks import PasswordResetRequested, send_password_reset
from app.accounts.users import user_with_email
from app.audit.events import record
from app.db import SessionDep
from app.errors import ApiError, error_responses, invalid_field
from app.models.account import LoginSession, SessionId, TokenPurpose, User
from app.models.audit import AuditKind
from app.routes import API_PREFIX, LoginRequired, PublicRouter
from app.settings import get_settings

# Public: signing up, in and through emailed links happens before there is a session.
auth_router = PublicRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"])
account_router = APIRouter(
    prefix=f"{API_PREFIX}/account", tags=["account"], responses=error_responses(403, 429)
)
# What every router but a `PublicRouter` asks of a caller (app/routes.py): a live session.
login_required = LoginRequired(signed_in)


async def _check_new_password(field: str, password: str, email: str) -> None:
    problem = await asyncio.to_thread(password_problem, password, email)
    if problem is not None:
        raise invalid_field(field, problem)


async def _check_password(user: User, password: str, field: str, request: Request) -> None:
    """422 on the named field when `password` is not the user's (a form re-asks for it).

    Failures count against the log-in limits: a stolen session cannot guess it faster.
    """
    guessing = await guesser(request, user.email, user)
    await guessing.ensure_allowed()
    matches, _ = await asyncio.to_thread(verify_password, password, user.password_hash)
    if not matches:
        await guessing.count_failure()
        raise invalid_field(field, "This is not your current password.")


def _email_taken() -> ApiError:
    return ApiError(
        status.HTTP_409_CONFLICT, "email_taken", "An account with this email already exists."
    )


def _invalid_token() -> ApiError:
    return ApiError(
        status.HTTP_400_BAD_REQUEST,
        "invalid_token",
        "This link is invalid, expired or already used; ask for a new one.",
    )


@auth_router.post(
    "/signup",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(403, 409, 422, 429),
)
async def sign_up(
    db: SessionDep, credentials: Credentials, request: Request, response: Response
) -> User:
    """Create an account and log it in; a link to verify the address is emailed."""
    settings = get_settings()
    await rate_limits.count_attempt(settings.rate_limit_signup_per_ip, "signup", client_ip(request))
    await _check_new_password("password", credentials.password, credentials.email)
    password_hash = await asyncio.to_thread(hash_password, credentials.password)
    user = User(email=credentials.email, password_hash=password_hash)
    db.add(user)
    record(db, AuditKind.SIGNED_UP, actor=user, subject=user, request=request)
    try:
        await db.commit()
    except IntegrityError:  # the unique index on lower(email): the database decides, no race
        await db.rollback()
        raise _email_taken() from None
    await start_session(db, user, request, response)
    await remember_device(request, response, user)
    await send_verification_email(db, user)
    return user


@auth_router.post(
    "/login", response_model=UserPublic, responses=error_responses(401, 403, 422, 429)
)
async def log_in(
    db: SessionDep,
    credentials: Credentials,
    request: Request,
    response: Response,
    old_token: Annotated[str | None, Depends(session_cookie)],
) -> User:
    """Log in with a new session cookie; any session the browser held before ends."""
    settings = get_settings()
    await rate_limits.count_attempt(
        settings.rate_limit_login_per_ip, "login-ip", client_ip(request)
    )
    user = (await db.exec(user_with_email(credentials.email))).one_or_none()
    guessing = await guesser(request, credentials.email, user)
    await guessing.ensure_allowed()
    if user is None:
        await asyncio.to_thread(spend_a_verification)  # an unknown email costs a hash too
        matches, new_hash = False, None
    else:
        matches, new_hash = await asyncio.to_thread(
            verify_password, credentials.password, user.password_hash
        )
    if user is None or not matches:
        await guessing.count_failure()
        _record_login_failure(db, user, guessing.account, request, "invalid_credentials")
        await db.commit()
        raise ApiError(
            status.HTTP_401_UNAUTHORIZED, "invalid_credentials", "Wrong email or password."
        )
    if not user.is_active:
        _record_login_failure(db, user, guessing.account, request, "deactivated")
        await db.commit()
        raise ApiError(status.HTTP_403_FORBIDDEN, "forbidden", "This account is deactivated.")
    if new_hash is not None:  # hashed with older parameters: upgrade while we have the password
        user.password_hash = new_hash
        db.add(user)
    if old_token:
        await revoke_token(db, old_token)
    record(db, AuditKind.LOGGED_IN, actor=user, subject=user, request=request)
    await start_session(db, user, request, response)  # commits the event with the session
    await remember_device(request, response, user)
    return user


def _record_login_failure(
    db: SessionDep, user: User | None, email: str, request: Request, reason: str
) -> None:
    """The attempted address is kept only when no account has it (else the subject names it)."""
    details = {"reason": reason} if user else {"reason": reason, "email": email}
    record(db, AuditKind.LOGIN_FAILED, actor=None, subject=user, request=request, **details)


@auth_router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(403))
async def log_out(
    db: SessionDep,
    request: Request,
    response: Response,
    token: Annotated[str | None, Depends(session_cookie)],
) -> None:
    """End this browser's session (no error when there is none); ends any "log in as" too."""
    signed = await find_session(db, token) if token else None
    if signed is not None:
        admin = signed.impersonator
        if admin is not None:
            await end_impersonation(db, signed.session, "logged_out", request, commit=False)
        person = admin or signed.user
        record(db, AuditKind.LOGGED_OUT, actor=person, subject=person, request=request)
    if token:
        await revoke_token(db, token)  # commits the events with the revocation
    clear_cookie(response)


@auth_router.post(
    "/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    response_class=Response,
    responses=error_responses(403, 422, 429),
)
async def request_password_reset(body: PasswordResetRequest, request: Request) -> Response:
    """Always 202 after the same work: the worker looks the address up and emails a link only
    if an account has it, so neither the answer nor its timing reveals which addresses exist.

    The per-address limit refuses new links, never the ones sent: each works for longer than the
    limit's window (the settings check it), so strangers asking for links lock nobody out."""
    settings = get_settings()
    await rate_limits.count_attempt(
        settings.rate_limit_reset_per_ip, "reset-ip", client_ip(request)
    )
    await rate_limits.count_attempt(
        settings.rate_limit_reset_per_email,
        "reset-email",
        body.email.lower(),
        reason=(
            "If an account has this address, a reset link was emailed to it recently and still "
            "works: use the newest one."
        ),
    )
    payload = PasswordResetRequested(email=body.email)
    await asyncio.to_thread(send_password_reset.enqueue, payload)
    return Response(status_code=status.HTTP_202_ACCEPTED)


@auth_router.post(
    "/password-reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 403, 409, 422),
)
async def confirm_password_reset(
    db: SessionDep, body: PasswordResetConfirmation, request: Request, response: Response
) -> None:
    """Set a new password with an emailed token; every session of the account ends.

    A link sent to an address the account has since left (the undo link of an email change)
    also gives the account that address back, verified: its owner takes the account back."""
    used = await consume_email_token(db, body.token, TokenPurpose.RESET_PASSWORD)
    user = await db.get(User, used.user_id) if used else None
    if used is None or user is None or not user.is_active:
        await db.rollback()
        raise _invalid_token()
    problem = await asyncio.to_thread(password_problem, body.new_password, user.email)
    if problem is not None:
        await db.rollback()  # the token stays usable for a better password
        raise invalid_field("new_password", problem)
    user.password_hash = await asyncio.to_thread(hash_password, body.new_password)
    if used.email.lower() != user.email.lower():
        details = {"old_email": user.email, "new_email": used.email, "undone": True}
        record(db, AuditKind.EMAIL_CHANGED, actor=user, subject=user, request=request, **details)
        await forget_email_tokens(db, user)  # the links sent to the address being left
        user.email = used.email
        user.email_verified_at = datetime.now(UTC)  # the link reached this address
        db.add(user)
        try:
            await db.flush()
        except IntegrityError:  # another account has taken the old address meanwhile
            await db.rollback()
            raise _email_taken() from None
    elif user.email_verified_at is None:
        user.email_verified_at = datetime.now(UTC)
    db.add(user)
    record(db, AuditKind.PASSWORD_RESET, actor=user, subject=user, request=request)
    await forget_email_tokens(db, user, TokenPurpose.RESET_PASSWORD)
    await revoke_sessions(db, user)
    clear_cookie(response)
    await send_password_changed_email(user)


@auth_router.post(
    "/email-verification",
    status_code=status.HTTP_202_ACCEPTED,
    response_class=Response,
    responses=error_responses(401, 403, 429),
)
async def request_email_verification(db: SessionDep, user: CurrentUser) -> Response:
    """Email a new verification link (nothing is sent when the address is verified already)."""
    await rate_limits.count_attempt(
        get_settings().rate_limit_email_verification_per_user, "verify", str(user.id)
    )
    if user.email_verified_at is None:
        await send_verification_email(db, user)
    return Response(status_code=status.HTTP_202_ACCEPTED)


@auth_router.post(
    "/email-verification/confirm",
    response_model=UserPublic,
    responses=error_responses(400, 403, 422),
)
async def confirm_email_verification(db: SessionDep, body: EmailVerificationConfirmation) -> User:
    """Mark the address verified (works without login: the link may open in another browser)."""
    used = await consume_email_token(db, body.token, TokenPurpose.VERIFY_EMAIL)
    user = await db.get(User, used.user_id) if used else None
    # A link sent to an address the user has since changed proves nothing about the new one.
    if used is None or user is None or used.email.lower() != user.email.lower():
        await db.rollback()
        raise _invalid_token()
    if user.email_verified_at is None:
        user.email_verified_at = datetime.now(UTC)
        db.add(user)
    await db.commit()
    return user


@account_router.get("", response_model=AccountPublic)
async def read_account(signed: SignedInDep) -> AccountPublic:
    """The signed-in user, and the admin acting as them when this is a "log in as" session."""
    return AccountPublic.model_validate(signed.user, update={"impersonator": signed.impersonator})


@account_router.put(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(not_impersonating)],
)
async def change_password(
    db: SessionDep, body: PasswordChange, user: CurrentUser, request: Request, response: Response
) -> None:
    """Needs the current password; this browser gets a new session, every other one ends."""
    await _check_password(user, body.current_password, "current_password", request)
    await _check_new_password("new_password", body.new_password, user.email)
    user.password_hash = await asyncio.to_thread(hash_password, body.new_password)
    db.add(user)
    record(db, AuditKind.PASSWORD_CHANGED, actor=user, subject=user, request=request)
    await revoke_sessions(db, user)
    await start_session(db, user, request, response)
    await send_password_changed_email(user)


@account_router.put(
    "/email",
    response_model=UserPublic,
    responses=error_responses(409, 429),
    dependencies=[Depends(not_impersonating)],
)
async def change_email(
    db: SessionDep, body: EmailChange, signed: SignedInDep, request: Request
) -> User:
    """Needs the current password. Every link emailed to the old address dies, every other
    session ends, and the old address is told, with a link that takes the account back to it
    (a reset link, which outlives later changes). The new address is unverified until its own
    link is opened."""
    user = signed.user
    await _check_password(user, body.current_password, "current_password", request)
    await rate_limits.count_attempt(
        get_settings().rate_limit_email_verification_per_user, "verify", str(user.id)
    )
    old_email = user.email
    await forget_email_tokens(db, user)  # before the new address: the links sent to the old
    undo_link = add_undo_link(db, user)
    record(
        db,
        AuditKind.EMAIL_CHANGED,
        actor=user,
        subject=user,
        request=request,
        old_email=old_email,
        new_email=body.new_email,
    )
    user.email = body.new_email
    user.email_verified_at = None
    db.add(user)
    try:
        await db.flush()
    except IntegrityError:
        await db.rollback()
        raise _email_taken() from None
    await revoke_sessions(db, user, keep=signed.session, request=request)  # commits it all
    await send_email_changed_email(old_email, body.new_email, undo_link)
    await send_verification_email(db, user)
    return user


@account_router.delete(
    "", status_code=status.HTTP_204_NO_CONTENT, dependencies=[Depends(not_impersonating)]
)
async def delete_account(
    db: SessionDep, body: AccountDeletion, user: CurrentUser, request: Request, response: Response
) -> None:
    """Needs the password; the account goes with its items, sessions and links."""
    await _check_password(user, body.password, "password", request)
    record(db, AuditKind.ACCOUNT_DELETED, actor=user, subject=user, request=request)
    await end_impersonations_of(db, user, request)  # an admin acting as them keeps their session
    await db.delete(user)
    await db.commit()
    clear_cookie(response)


@account_router.get("/sessions", response_model=list[SessionPublic])
async def list_sessions(db: SessionDep, signed: SignedInDep) -> list[SessionPublic]:
    """Every live session of this account, most recently used first (an admin acting as you
    holds a session of their own: it is not yours to see or end, and the audit trail has it)."""
    rows = await db.exec(
        select(LoginSession)
        .where(col(LoginSession.user_id) == signed.user.id, _own_session(), is_live())
        .order_by(col(LoginSession.last_seen_at).desc()),
        params=live_limits(),
    )
    return [
        SessionPublic.model_validate(row, update={"current": row.id == signed.session.id})
        for row in rows
    ]


def _own_session() -> ColumnElement[bool]:
    return col(LoginSession.impersonator_id).is_(None)


@account_router.delete(
    "/sessions/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(404),
    dependencies=[Depends(not_impersonating)],
)
async def revoke_session(
    db: SessionDep, session_id: SessionId, signed: SignedInDep, response: Response
) -> None:
    """Log out one of your sessions (404 for any other id); revoking this one logs you out."""
    result = await db.exec(
        delete(LoginSession).where(
            col(LoginSession.id) == session_id,
            col(LoginSession.user_id) == signed.user.id,
            _own_session(),
        )
    )
    await db.commit()
    if result.rowcount == 0:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Session {session_id} not found")
    if session_id == signed.session.id:
        clear_cookie(response)


@account_router.delete(
    "/sessions",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(not_impersonating)],
)
async def revoke_other_sessions(db: SessionDep, signed: SignedInDep) -> None:
    """Log out everywhere else; this browser stays logged in."""
    await revoke_sessions(db, signed.user, keep=signed.session)
