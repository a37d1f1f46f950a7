"""Pseudonymisation, and the one list of which input fields are personal data.

Authors who are not organisation accounts are replaced by a keyed hash
(keyed BLAKE2b, RFC 7693, of ``platform:user id``; 64 bits), so the same person gets the same
pseudonym in every file of an edition while the key stays outside the
repository. Usernames and display names of consumers are never kept; @-mentions
of consumers in texts become ``@user``.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

# The demo edition's key: fixed and public, because its people are fictional.
DEMO_KEY = "engbench-demo-edition-key (public; for simulated data only)"
DEFAULT_KEY_ENV = "ENGBENCH_PSEUDONYM_KEY"

# Input fields that hold personal data, per format. Parsers read them only to
# recognise organisation accounts (usernames) or to pseudonymise (ids); none of
# them reaches the message store. tests/ingest/test_privacy.py checks that no
# value of these fields for a consumer appears in the ingested table.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "x_api_v2": (
        "includes.users[].username",
        "includes.users[].name",
        "includes.users[].description",
        "includes.users[].location",
        "includes.users[].profile_image_url",
        "entities.mentions[].username",
        "author.username",
        "author.name",
    ),
    "twitter_v1": (
        "user.screen_name",
        "user.name",
        "user.description",
        "user.location",
        "user.url",
        "user.profile_image_url",
        "in_reply_to_screen_name",
        "entities.user_mentions[].screen_name",
        "entities.user_mentions[].name",
        "extended_tweet.entities.user_mentions[].screen_name",
        "extended_tweet.entities.user_mentions[].name",
        "retweeted_status.user",
        "quoted_status.user",
    ),
    "x_archive": (
        "entities.user_mentions[].screen_name",
        "entities.user_mentions[].name",
        "in_reply_to_screen_name",
    ),
    "facebook_graph": (
        "from.name",
        "parent.from.name",
        "to.data[].name",
        "likes.data[].name",
        "message_tags[].name",
    ),
    "bluesky": (
        "author.handle",
        "author.displayName",
        "author.avatar",
        "author.did",
        "reason.by.handle",
        "reason.by.displayName",
        "reason.by.did",
        "reply.grandparentAuthor",
        "record.facets[].features[].did",
        "uri",
        "record.reply.parent.uri",
        "record.reply.root.uri",
        "record.embed.record.uri",
        "reason.uri",
        "did",
    ),
    "mastodon": (
        "account.username",
        "account.acct",
        "account.display_name",
        "account.note",
        "account.avatar",
        "account.url",
        "account.uri",
        "account.id",
        "uri",
        "url",
        "mentions[].username",
        "mentions[].acct",
        "mentions[].url",
        "in_reply_to_account_id",
        "reblog.account",
        "quote.quoted_status.account",
    ),
    "fourcat_csv": (
        "author",
        "author_fullname",
        "author_name",
        "author_user_id",
        "author_id",
        "mentions",
        "mentioned",
        "replied_user",
        "reply_to",
        "replied_to_user",
        "reply_to_id",
        "in_reply_to_user_id",
    ),
    "mapped_table": ("the columns mapped to author_id, author_handle and in_reply_to_author_id",),
    "customer_care_json": ("dialogContent[].client", "dialogContent[].client1"),
}

# The raw fields (``records.py``) that may hold a consumer's user id or handle. They are
# pseudonymised or dropped before the message store; reasons for a bad record never quote
# them (reasons reach the shareable summary), and ``engbench.personal_data`` collects the
# raw identifiers it scans the outputs for from them.
PERSONAL_RAW_FIELDS = ("author_id", "author_handle", "in_reply_to_author_id", "mentions")

MENTION = re.compile(
    r"(?<![\w@])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?(?:@[A-Za-z0-9.-]*[A-Za-z0-9])?)"
)


class MissingKeyError(ValueError):
    """No pseudonymisation key is available for a real edition."""


def load_key(
    key_env: str = DEFAULT_KEY_ENV, key_file: str | None = None, demo: bool = False
) -> bytes:
    """The pseudonymisation key: from ``key_file``, else the environment, else the demo key.

    A real edition without a key stops with a message saying how to set one.
    """
    if key_file:
        path = Path(key_file).expanduser()
        if not path.exists():
            raise MissingKeyError(f"pseudonymisation key file {path} not found")
        key = path.read_bytes().strip()
        if len(key) < 16:
            raise MissingKeyError(
                f"pseudonymisation key in {path} is too short (at least 16 bytes)"
            )
        return key
    if os.environ.get(key_env):
        return os.environ[key_env].encode()
    if demo:
        return DEMO_KEY.encode()
    raise MissingKeyError(
        f"no pseudonymisation key: set the environment variable {key_env} (at least 16 "
        "random characters, kept outside the repository and the same for the whole edition) "
        "or `privacy.key_file` in the config"
    )


class Pseudonymiser:
    """Maps (platform, user id) to a stable pseudonym ``u`` + 16 hex digits."""

    def __init__(self, key: bytes):
        self._key = hashlib.sha256(key).digest()  # BLAKE2b takes keys of up to 64 bytes
        self._cache: dict[tuple[str, str], str] = {}

    def __call__(self, platform: str, user_id: str) -> str:
        found = self._cache.get((platform, user_id))
        if found is None:
            digest = hashlib.blake2b(f"{platform}:{user_id}".encode(), key=self._key, digest_size=8)
            found = "u" + digest.hexdigest()
            if len(self._cache) < 2_000_000:
                self._cache[(platform, user_id)] = found
        return found
