"""Which new passwords are accepted: OWASP ASVS 4.0 level 2, section 2.1.

At least 12 characters once runs of spaces count as one (2.1.1), up to 1,024 and never truncated
(2.1.2, 2.1.3), any character (2.1.4), no composition rules (2.1.9). Guessable passwords are refused
by zxcvbn, Dropbox's estimator: its lists hold the 30,000 most common passwords of public breaches,
English words, names and keyboard patterns, and it sees through l33t spellings, repeats, sequences
and dates (2.1.7). A password must not contain the account's email, and the email's name part
counts as a guessable word. The messages say what is wrong and how to do better.
"""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

from advisor.admin.models import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

# zxcvbn's score: 3 means "safely unguessable" (about 10^8 guesses and more); 0-2 are refused.
MIN_SCORE = 3
# zxcvbn refuses longer input (its matching grows fast with length); a longer password is judged by
# its start, which is enough to tell a passphrase from "aaaa...".
ESTIMATED_CHARACTERS = 72
SITE_WORDS = ("stack", "advisor", "stackadvisor", "curator", "admin")
_SPACES = re.compile(r" {2,}")


def password_problems(password: str, email: str | None = None) -> list[str]:
    """Why `password` is not acceptable for the account `email` (empty when it is)."""
    if len(_SPACES.sub(" ", password)) < MIN_PASSWORD_LENGTH:
        return [
            f"Passwords have at least {MIN_PASSWORD_LENGTH} characters "
            "(several spaces in a row count as one)."
        ]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [f"Passwords have at most {MAX_PASSWORD_LENGTH} characters."]
    email = (email or "").strip().lower()
    if email and email in password.lower():
        return ["The password must not contain your email address."]
    name = email.split("@")[0]
    verdict = zxcvbn(
        password[:ESTIMATED_CHARACTERS], user_inputs=[w for w in (email, name, *SITE_WORDS) if w]
    )
    if verdict["score"] >= MIN_SCORE:
        return []
    feedback = verdict["feedback"]
    advice = " ".join(filter(None, [feedback.get("warning"), *feedback.get("suggestions", [])]))
    return [f"This password is too easy to guess. {advice or 'Add another word or two.'}"]
