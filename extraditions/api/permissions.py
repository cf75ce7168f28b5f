"""Who may do what through the API.

Reading is open to everybody: what each user sees is decided by the querysets
(``visible_to``), so anonymous users only ever meet published, public records. Writing takes a
staff account with the model's add/change/delete permission; publishing also takes the model's
"publish" permission, checked by the serializers.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions

from extraditions.visibility import is_staff_session


class RecordPermission(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": [],
        "OPTIONS": [],
        "HEAD": [],
    }

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if not is_staff_session(request.user):
            return False
        return super().has_permission(request, view)


class StaffOnly(BasePermission):
    """For actions that check their own, finer permission (e.g. merging persons)."""

    def has_permission(self, request, view):
        return is_staff_session(request.user)
