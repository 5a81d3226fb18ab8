"""Who performs an action: a person signed in to the studio, or the server itself.

Every service that changes something takes an `actor` and checks its right itself. A management
command or a scheduled job is not a person, and what it does must not look like anyone's doing
in the audit log, so it acts as a SystemActor: a name (the command or job) and exactly the
permissions that kind of job needs. It answers `has_perm()` like a user, so the services' checks
apply to it unchanged. Its audit events record no user (actor NULL) and name the job in
`details["system"]`; the audit log and the timeline show them as "system".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from typing_extensions import TypeIs  # in typing from Python 3.13

# The rights of the jobs that export published posts (export_post, export_posts): read any
# post, export it as final. A job never reviews, publishes, withdraws or records a repost (that
# is a person saying where they pasted the text).
EXPORTING = frozenset({"content.view_post", "content.export_final"})

ERROR_SYSTEM_REPOST = (
    "A repost is recorded by the person who posted the text; a command cannot record one."
)
ERROR_NOT_SIGNED_IN = gettext_lazy("Sign in to do this.")


@dataclass(frozen=True)
class SystemActor:
    """The server acting on its own: a management command or a scheduled job, by name."""

    name: str
    permissions: frozenset[str] = frozenset()

    # What services read of a user, answered for the server: no user row, nobody signed in.
    pk = None
    is_authenticated = False
    is_anonymous = False

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return perm in self.permissions

    def get_username(self) -> str:
        return f"system ({self.name})"

    def __str__(self) -> str:
        return self.get_username()


# Jobs run by django.tasks or cron without a command of their own.
SCHEDULER = SystemActor(name="scheduler")


def command(name: str, permissions: frozenset[str] = frozenset()) -> SystemActor:
    """The actor of the management command `name` (also when a scheduler runs it)."""
    return SystemActor(name=name, permissions=permissions)


# A person (signed in, or the anonymous user a service must refuse) or the server.
type Person = User | AnonymousUser
type Actor = Person | SystemActor


def is_system(actor: Actor | None) -> TypeIs[SystemActor]:
    return isinstance(actor, SystemActor)


def signed_in(actor: Actor) -> User:
    """`actor` as the user row a service stores (an author, a reviewer, who recorded a repost).

    Called after the service's own permission check, which neither the anonymous user nor the
    server passes for such an action; should a check ever let one through, this refuses it
    instead of failing later on the foreign key."""
    # Imported here: content.models may import this module before auth is ready.
    from django.contrib.auth.models import User

    if not isinstance(actor, User):
        raise PermissionError(str(ERROR_NOT_SIGNED_IN))
    return actor


def audit_fields(actor: Actor | None) -> dict[str, Any]:
    """`record_event()`'s actor argument for `actor`: the user, or for the server no user and
    the detail `system` that names the job (so the event never passes for a person's)."""
    if isinstance(actor, SystemActor):
        return {"actor": None, "system": actor.name}
    return {"actor": actor}
