from django.contrib import admin
from django.shortcuts import render


def render_page(request, template: str, context: dict, *, status: int = 200):
    """Render a page inside the admin's frame (header, user tools, theme) without its app
    sidebar, so /developers and /ecosystem look like the rest of PulseHR."""
    frame = admin.site.each_context(request) | {"is_nav_sidebar_enabled": False}
    return render(request, template, frame | context, status=status)
