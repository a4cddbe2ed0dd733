"""A bare view for page benchmarks (mounted only when ``BENCH_BARE_VIEW`` is on).

It goes through the same middleware as every page but reads no database and renders no
template, so a page's throughput as a share of this view's is what the page itself costs.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")
