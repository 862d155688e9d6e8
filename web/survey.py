"""``/s/{slug}``: the respondent's page of one survey, made for a phone.

Plain HTML and a form, no script and nothing fetched from anywhere else: it opens fast on
a weak connection. One tap on a score sends it; the next question (or the comment box, or
the thanks) follows. The page speaks the respondent's language (``?lang=``, else the
browser's, else the workbook's). The device cookie is issued here; a POST without it is not
stored (a form posted from another site carries no cookie).
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from cxlib.l10n.formats import Formatter
from cxlib.l10n.i18n import languages, Translator
from cxlib.steps import survey_links
from cxlib.storage.store import StoreError
from web.common import over_limit, store

COOKIE = "cxw_device"
COOKIE_AGE = 400 * 24 * 3600
MAX_FORM = 16 * 1024

STYLE = """
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Tahoma,sans-serif;
background:#f6f7f9;color:#1f2328;line-height:1.45}main{max-width:34rem;margin:0 auto;padding:1.25rem 1rem 2rem}
h1{font-size:1.35rem;margin:.25rem 0 1rem}p.q{font-size:1.15rem;font-weight:600;margin:0 0 1rem}
.scale{display:grid;gap:.5rem;grid-template-columns:repeat(var(--n),1fr)}.scale.wide{grid-template-columns:repeat(6,1fr)}
button{font:inherit;font-size:1.25rem;font-weight:700;min-height:3.25rem;border:1px solid #c9ced6;border-radius:.6rem;
background:#fff;color:#1f2328;cursor:pointer}button:active{background:#dbe7ff}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#57606a;margin:.4rem 0 0}
textarea{width:100%;min-height:7rem;font:inherit;padding:.6rem;border:1px solid #c9ced6;border-radius:.6rem}
.row{display:flex;gap:.75rem;margin-top:.75rem}.row button{flex:1;font-size:1.05rem}.send{background:#0b5cff;color:#fff;border:0}
.note{background:#fff;border:1px solid #d8dee4;border-radius:.6rem;padding:1rem;font-size:1.05rem}
footer{margin-top:2rem;font-size:.85rem;color:#57606a;text-align:center}footer a{color:#57606a;margin:0 .4rem}
"""


def _language(request: Request, fallback: str) -> str:
    """``?lang=``, else the first language of the browser's list that we speak, else the
    workbook's."""
    available = languages()
    asked = request.query_params.get("lang", "")
    if asked in available:
        return asked
    weighted = []
    for position, part in enumerate(request.headers.get("accept-language", "").split(",")[:20]):
        code, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        weighted.append((-weight, position, code.split("-")[0].lower()))
    for _, _, code in sorted(weighted):
        if code in available:
            return code
    return fallback if fallback in available else "en"


def _document(t: Translator, title: str, body: str, switch: str = "") -> str:
    return (f"<!doctype html><html lang='{t.language}' dir='{t.direction}'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width,initial-scale=1'>"
            f"<meta name='robots' content='noindex'><title>{escape(title)}</title><style>{STYLE}</style></head>"
            f"<body><main>{body}{switch}</main></body></html>")


def _switch(slug: str, customer: str | None, current: str) -> str:
    """Links to the same survey in the other languages (the respondent's choice wins)."""
    links = []
    for code, name in languages().items():
        if code != current:
            query = urlencode({k: v for k, v in (("lang", code), ("c", customer)) if v})
            links.append(f"<a href='/s/{escape(slug)}?{escape(query)}' lang='{code}'>{escape(name)}</a>")
    return f"<footer>{''.join(links)}</footer>"


def _rating(t: Translator, survey: dict, question: str, hidden: str) -> str:
    low, high = survey_links.SCALES[question]
    digits = Formatter(t.language).digits
    count = high - low + 1
    buttons = "".join(f"<button name='score' value='{v}' aria-label='{v}'>{escape(digits(str(v)))}</button>"
                      for v in range(low, high + 1))
    wide = " wide" if count > 7 else ""
    subject = survey.get("touchpoint") or survey.get("name") or ""
    return (f"<form method='post'>{hidden}<input type='hidden' name='q' value='{question}'>"
            f"<p class='q'>{escape(t(f'survey.ask.{question}', subject=subject))}</p>"
            f"<div class='scale{wide}' style='--n:{count}'>{buttons}</div>"
            f"<div class='ends'><span>{escape(t(f'survey.low.{question}'))}</span>"
            f"<span>{escape(t(f'survey.high.{question}'))}</span></div></form>")


def _comment(t: Translator, hidden: str) -> str:
    return (f"<form method='post'>{hidden}<input type='hidden' name='q' value='open'>"
            f"<p class='q'><label for='comment'>{escape(t('survey.ask.open'))}</label></p>"
            f"<textarea id='comment' name='comment' maxlength='{survey_links.MAX_COMMENT}'></textarea>"
            f"<div class='row'><button class='send' name='send' value='1'>{escape(t('survey.send'))}</button>"
            f"<button name='skip' value='1'>{escape(t('survey.skip'))}</button></div></form>")


def _show(request: Request, survey: dict | None, device: str) -> HTMLResponse:
    slug = request.path_params["slug"]
    t = Translator(_language(request, survey["workbook_language"] if survey else "en"))
    customer = (request.query_params.get("c") or "")[: survey_links.MAX_CUSTOMER] or None
    switch = _switch(slug, customer, t.language)
    if survey is None:
        return HTMLResponse(_document(t, t("survey.title"), f"<p class='note'>{escape(t('survey.unknown'))}</p>"),
                            status_code=404)
    title = survey["name"]
    if not survey["is_open"]:
        body = f"<h1>{escape(title)}</h1><p class='note'>{escape(t('survey.closed'))}</p>"
        return HTMLResponse(_document(t, title, body, switch))
    question = survey_links.next_question(store(), survey, device)
    hidden = (f"<input type='hidden' name='lang' value='{t.language}'>"
              + (f"<input type='hidden' name='c' value='{escape(customer)}'>" if customer else ""))
    if question in survey_links.SCALES:
        body = _rating(t, survey, question, hidden)
    elif question == "open":
        body = _comment(t, hidden)
    elif not any(q in survey_links.SCALES for q in survey_links.questions(survey)):
        body = f"<p class='note'>{escape(t('survey.empty'))}</p>"
    else:
        key = "survey.thanks" if request.query_params.get("sent") else "survey.already"
        body = f"<p class='note'>{escape(t(key))}</p>"
    return HTMLResponse(_document(t, title, f"<h1>{escape(title)}</h1>{body}", switch))


def _answer(survey: dict, device: str, form: dict[str, str]) -> None:
    question = form.get("q", "")
    the_store = store()
    if question == "open":
        survey_links.comment(the_store, survey, device, None if form.get("skip") else form.get("comment"))
    else:
        survey_links.answer(the_store, survey, device, question, form.get("score", ""), form.get("c"))


async def page(request: Request) -> Response:
    """GET shows the next question; POST stores a tap and moves on (post, redirect, get)."""
    wait = over_limit("survey", request)
    if wait:  # refused before anything is read from the database
        t = Translator(_language(request, "en"))
        body = f"<p class='note'>{escape(t('survey.rate_limited'))}</p>"
        return HTMLResponse(_document(t, t("survey.title"), body), status_code=429,
                            headers={"Retry-After": str(wait), "Cache-Control": "no-store"})
    slug = request.path_params["slug"]
    survey = await run_in_threadpool(survey_links.by_slug, store(), slug)
    device = request.cookies.get(COOKIE)
    if device is not None and not (16 <= len(device) <= 64):
        device = None
    if request.method == "POST" and survey is not None and device:
        body = (await request.body())[:MAX_FORM]
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        try:
            await run_in_threadpool(_answer, survey, device, form)
        except StoreError:
            pass  # a closed survey or a score off the scale: the page below says what to do
        survey = await run_in_threadpool(survey_links.by_slug, store(), slug)
        query = {k: v for k, v in (("lang", form.get("lang")), ("c", form.get("c"))) if v}
        if survey and await run_in_threadpool(survey_links.next_question, store(), survey, device) is None:
            query["sent"] = "1"
        return RedirectResponse(f"/s/{slug}?{urlencode(query)}", status_code=303)
    new_device = device or survey_links.new_device()
    response = await run_in_threadpool(_show, request, survey, new_device)
    response.headers["Cache-Control"] = "no-store"
    if device is None:
        response.set_cookie(COOKIE, new_device, max_age=COOKIE_AGE, path="/s/", httponly=True, samesite="lax",
                            secure=request.url.scheme == "https")
    return response
