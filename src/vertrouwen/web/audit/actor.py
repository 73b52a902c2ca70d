"""Who acts: a signed-in user or a system label such as "systeem:import", made once from whatever the edge hands
over (a request's user, a command's label, the request's own lazy actor)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    label: str  # the user name, or the system's label
    user_id: int | None = None  # the account, when a person acts

    @classmethod
    def of(cls, who: object) -> "Actor":
        """The actor for a user, a label, an Actor, or something that resolves to one of them when asked."""
        if isinstance(who, Actor):
            return who
        if hasattr(who, "resolve"):  # the request's actor: looked up only when an event is written
            return cls.of(who.resolve())
        if hasattr(who, "get_username"):
            return cls(who.get_username(), who.pk)
        return cls(str(who))
