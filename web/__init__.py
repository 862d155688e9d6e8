"""HTTP routes served beside the pages, on the same port (survey pages, the webhook,
participants' vote identity) and their middleware (security headers).

Thin handlers: they read the request, call :mod:`cxlib`, and write the response. They do
not import ``pages`` and never need a sign-in (a survey link or a webhook token is the
credential). :mod:`web.routes` lists them for the ``st.App`` in ``serve.py``.
"""
