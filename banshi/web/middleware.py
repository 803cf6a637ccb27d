"""Response headers every page and API answer gets."""

from django.utils.cache import add_never_cache_headers


def no_store(get_response):
    """Tell browsers and proxies not to keep any page or API answer (static files excepted:
    WhiteNoise serves them before this runs). Staff pages, the ledger and API answers carry
    residents' names and phones; a resident's tracking page carries their appeal."""

    def middleware(request):
        response = get_response(request)
        add_never_cache_headers(response)
        return response

    return middleware
