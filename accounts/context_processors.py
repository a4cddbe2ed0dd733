from accounts.roles import is_ld, is_ld_manager


def roles(request):
    """Expose the viewer's L&D roles to templates (for the header's admin link)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_ld": False, "is_ld_manager": False}
    return {"is_ld": is_ld(user), "is_ld_manager": is_ld_manager(user)}
