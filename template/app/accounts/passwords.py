"""Password hashing (argon2id through pwdlib) and the password policy (NIST SP 800-63B, with
zxcvbn's estimate of how many guesses a password takes)."""

from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from app.settings import Environment, get_settings

# Measured on 2 cores (see README, "Accounts"): about 65 ms per hash, 19 MiB of memory, which is
# OWASP's first argon2id profile. Changing these rehashes each password at its owner's next login.
ARGON2_TIME_COST = 2
ARGON2_MEMORY_COST_KIB = 19 * 1024
ARGON2_PARALLELISM = 1

# The test environment only (no variable can choose it): argon2's minimum work, so the suites'
# sign-ups and log-ins cost microseconds. Every other environment hashes with the profile above.
TEST_ARGON2_TIME_COST = 1
TEST_ARGON2_MEMORY_COST_KIB = 8

# 800-63B asks for at least 64 characters to be allowed; more only costs hashing time.
PASSWORD_MAX_LENGTH = 256

# zxcvbn's score (0-4): 3 is "safely unguessable", about 10^10 guesses, beyond what an online
# attacker gets and costly offline against argon2id. Its work grows with the square of the
# length (0.1 s for 48 characters, 0.6 s for 72), so it judges the first 48: a password whose
# first 48 characters are easy to guess is refused, and a longer tail cannot rescue it.
MIN_STRENGTH_SCORE = 3
STRENGTH_ESTIMATE_LENGTH = 48


def password_hash() -> PasswordHash:
    return _password_hash(get_settings().environment is Environment.TEST)


@lru_cache
def _password_hash(test_environment: bool) -> PasswordHash:
    time_cost, memory_cost = (
        (TEST_ARGON2_TIME_COST, TEST_ARGON2_MEMORY_COST_KIB)
        if test_environment
        else (ARGON2_TIME_COST, ARGON2_MEMORY_COST_KIB)
    )
    hasher = Argon2Hasher(
        time_cost=time_cost, memory_cost=memory_cost, parallelism=ARGON2_PARALLELISM
    )
    return PasswordHash((hasher,))


@lru_cache
def _dummy_hash() -> str:
    return password_hash().hash("a password nobody has, verified so that misses cost a hash too")


def hash_password(password: str) -> str:
    return password_hash().hash(password)


def verify_password(password: str, stored_hash: str) -> tuple[bool, str | None]:
    """Whether it matches, and a new hash when the stored one used other parameters."""
    try:
        return password_hash().verify_and_update(password, stored_hash)
    except UnknownHashError:  # an account whose password can never match (a placeholder)
        return False, None


def spend_a_verification() -> None:
    """Do the work of a verification for an unknown account: misses and hits take equal time."""
    password_hash().verify("not it", _dummy_hash())


@lru_cache
def common_passwords() -> frozenset[str]:
    """30 000 passwords most seen in breaches, shipped inside the zxcvbn package (no network)."""
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str) -> str | None:
    """Why this password is refused, or None: length, the common list, the email address, then
    zxcvbn's estimate (repeats, sequences, keyboard walks, dates, words); no composition rules.

    Costs up to a tenth of a second of CPU: async code runs it in a thread (`asyncio.to_thread`).
    """
    minimum = get_settings().password_min_length
    if len(password) < minimum:
        return f"Use at least {minimum} characters."
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"Use at most {PASSWORD_MAX_LENGTH} characters."
    folded = password.casefold()
    if folded in common_passwords() or folded.strip() in common_passwords():
        return "This password is too common; choose one that others are unlikely to use."
    local_part = email.partition("@")[0].casefold()
    if folded in {email.casefold(), local_part}:
        return "Don't use your email address as your password."
    return _weakness(password[:STRENGTH_ESTIMATE_LENGTH])


def _weakness(password: str) -> str | None:
    """zxcvbn's reason when its score is too low (no `user_inputs`: zxcvbn keeps them in a
    module-level dictionary, which threads running at once would overwrite for each other)."""
    estimate = zxcvbn(password)
    if estimate["score"] >= MIN_STRENGTH_SCORE:
        return None
    feedback = estimate["feedback"]
    reasons = [feedback["warning"], *feedback["suggestions"][:1]]
    because = " ".join(reason for reason in reasons if reason)
    return f"This password is too easy to guess. {because}".strip()
