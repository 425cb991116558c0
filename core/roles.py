"""Roles in a community and what each may do. Every service checks these; hiding a button is only a courtesy."""

from __future__ import annotations

from enum import StrEnum

from .errors import PermissionDenied


class Role(StrEnum):
    COORDINATOR = 'coordinator'  # owner: everything, including members, invitations and deletion
    CO_COORDINATOR = 'co_coordinator'  # edits every tool of the community
    COACH = 'coach'  # KM officer accompanying the coordinator: reads everything, changes nothing


class Permission(StrEnum):
    VIEW = 'view'
    EDIT = 'edit'
    MANAGE = 'manage'


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.COORDINATOR: frozenset(Permission),
    Role.CO_COORDINATOR: frozenset({Permission.VIEW, Permission.EDIT}),
    Role.COACH: frozenset({Permission.VIEW}),
}

INVITABLE = (Role.CO_COORDINATOR, Role.COACH)
# roles an invitation link may carry: a coordinator may also hand the community over to an address (the invitee then
# becomes a coordinator too; the community may have several)
INVITATION_ROLES = (Role.COORDINATOR, *INVITABLE)


def can(role: Role | str | None, permission: Permission) -> bool:
    if role is None:
        return False
    try:
        return permission in GRANTS[Role(role)]
    except ValueError:
        return False


def require(role: Role | str | None, permission: Permission) -> None:
    if not can(role, permission):
        raise PermissionDenied()
