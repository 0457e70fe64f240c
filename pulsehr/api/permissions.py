from rest_framework import permissions


class HasResourceScope(permissions.BasePermission):
    """Reads need `read:<resource>` (or any write scope on it); everything else `write:<resource>`.
    Views name their resource in `scope_resource`."""

    message = "This API key's scopes do not allow this operation."

    def has_permission(self, request, view) -> bool:
        api_key = request.auth
        if api_key is None:
            return False
        action = "read" if request.method in permissions.SAFE_METHODS else "write"
        resource = view.scope_resource
        if not api_key.allows(action, resource):
            self.message = f"This API key lacks the '{action}:{resource}' scope."
            return False
        return True
