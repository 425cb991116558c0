"""The shared page frame: header with product name, language links and user menu; a drawer with the community
switcher and the navigation to every part; a skip link; one h1 per page."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlencode, urlsplit

from nicegui import app, html, ui

from core.i18n import HTML_LANG, LANGUAGES, QUASAR_LANG, Translator

from . import typography as tx
from .focus import install_focus
from .nav import PARTS, part_href

T = TypeVar('T', bound=ui.element)

LANGUAGE_NAMES = {'nl': 'Nederlands', 'fr': 'Français', 'en': 'English', 'de': 'Deutsch'}

THEME_CSS = """
:root { --focus-ring: #1d4f91; }
body { color: #1c1c1c; }
.q-btn { text-transform: none; }
.q-dialog .q-card { z-index: 1; }  /* its own stacking context, else axe misreads the contrast of dialog buttons */
.q-option-group > div { margin-bottom: .35rem; }
a, .q-btn, .q-item, input, textarea, [tabindex] { outline-offset: 2px; }
:focus-visible { outline: 3px solid var(--focus-ring) !important; outline-offset: 2px; }
.q-header :focus-visible { outline-color: #fff !important; }
a.nicegui-link { color: #1d4f91; }
.q-header a.nicegui-link { color: #fff; }
.nicegui-skip-link:focus { background: #fff; color: #1c1c1c; padding: .5rem 1rem; z-index: 9999; }
.cop-nav a.nicegui-link { display: flex; align-items: center; gap: .6rem; padding: .45rem .75rem; border-radius: .4rem;
  color: #1c1c1c; text-decoration: none; }
.cop-nav a.nicegui-link:hover { background: #e8eef7; }
.cop-nav a.nicegui-link[aria-current="page"] { background: #d5e1f2; font-weight: 600; }
.cop-lang a.nicegui-link { color: #fff; padding: .2rem .35rem; border-radius: .3rem; text-decoration: none;
  font-weight: 500; }
.cop-lang a.nicegui-link[aria-current="true"] { background: #fff; color: #1d4f91; }
.cop-muted { color: #4a4a4a; }
details.cop-source > summary { list-style: none; cursor: pointer; color: #1d4f91; width: fit-content;
  min-height: 24px; display: flex; align-items: center; gap: .4rem; }
details.cop-source > summary::-webkit-details-marker { display: none; }
details.cop-source > summary::before { content: ''; border-style: solid; border-width: .3em 0 .3em .45em;
  border-color: transparent transparent transparent currentColor; transition: transform .15s; }
details.cop-source[open] > summary::before { transform: rotate(90deg); }
details.cop-source > summary:hover { text-decoration: underline; }
table.cop-table { border-collapse: collapse; }
table.cop-table th, table.cop-table td { border-bottom: 1px solid #d0d5db; padding: .35rem .5rem; vertical-align: top; }
table.cop-table thead th { border-bottom: 2px solid #1c1c1c; font-weight: 600; }
h1.cop-h1 { font-size: 1.75rem; line-height: 2.1rem; font-weight: 600; margin: .25rem 0 .5rem; }
h2.cop-h2 { font-size: 1.3rem; line-height: 1.7rem; font-weight: 600; margin: .5rem 0 .25rem; }
h3.cop-h3 { font-size: 1.1rem; line-height: 1.5rem; font-weight: 600; margin: .25rem 0; }
@media print { .q-header, .q-drawer, .nicegui-skip-link, .cop-noprint { display: none !important; }
  .q-page-container { padding: 0 !important; } }
"""

COLORS = dict(
    primary='#1d4f91',
    secondary='#4b5d70',
    accent='#8a3b12',
    positive='#1b6e3a',
    negative='#b3261e',
    info='#1d4f91',
    warning='#8a5a00',
    dark='#1c1c1c',
)


def aria(element: T, label: str) -> T:
    """Give an element an accessible name (safe for any text, quotes included)."""
    element.props['aria-label'] = label
    return element


def install_theme() -> None:
    """Once per process start: styles shared by every page."""
    ui.add_css(THEME_CSS, shared=True)
    install_focus()  # the focus ring, 24 px targets and keyboard behaviour (components/focus.py)
    # Quasar's automatic loading bar (shown during background requests) is an unnamed progress bar to screen readers
    app.config.quasar_config['loadingBar']['skipHijack'] = True
    _region_in_html_lang()


def _region_in_html_lang() -> None:
    """<html lang> names the region too (de-BE, nl-BE, fr-BE, en-GB), for screen readers and hyphenation.

    NiceGUI writes the Quasar language pack's code there ('de'), and Quasar sets it again on start; there is a pack
    per language, not per region, so the page's start-up script puts the full tag back once Quasar is done."""
    tags = {QUASAR_LANG[lang]: HTML_LANG[lang] for lang in LANGUAGES}
    line = f'document.documentElement.lang = {json.dumps(tags)}[language] || language;'
    if line not in app.config.vue_config_script:
        app.config.vue_config_script += f'\n        {line}\n'


@dataclass
class Shell:
    """What the frame shows around a page."""

    t: Translator
    path: str  # current path, for the language links
    user_name: str | None = None
    communities: dict[str, str] = field(default_factory=dict)  # id -> name, for the switcher
    current: str | None = None  # the community being viewed
    active: str | None = None  # key of the active navigation entry
    on_logout: Callable[[], None] | None = None
    public: bool = False  # a page for people without an account: no drawer, no login


def language_href(path: str, lang: str) -> str:
    parts = urlsplit(path)
    query = [p for p in parts.query.split('&') if p and not p.startswith('lang=')]
    query.append(urlencode({'lang': lang}))
    return f'{parts.path}?{"&".join(query)}'


@contextmanager
def frame(shell: Shell, title: str, *, heading: bool = True) -> Iterator[ui.column]:
    t = shell.t
    ui.colors(**COLORS)
    ui.page_title(f'{title} · CoP-toolbox')
    drawer = None if shell.public else _drawer(shell)
    with ui.header().classes('items-center gap-1 px-2 py-1 bg-primary text-white'):
        if drawer is not None:
            aria(ui.button(icon='menu', on_click=drawer.toggle).props('flat round color=white'), t('frame.menu')).mark(
                'menu-toggle'
            )
            ui.link('CoP-toolbox', '/').classes('text-white text-lg font-semibold no-underline px-1')
        else:
            tx.span('CoP-toolbox').classes('text-white text-lg font-semibold px-2')
        ui.space()
        with aria(html.nav(), t('frame.language')).classes('cop-lang flex gap-1 text-sm'):
            for lang in LANGUAGES:
                link = ui.link(lang.upper(), language_href(shell.path, lang)).props(f'lang={lang} hreflang={lang}')
                aria(link, f'{lang.upper()} – {LANGUAGE_NAMES[lang]}').mark(f'lang-{lang}')
                if lang == t.lang:
                    link.props('aria-current=true')
        if shell.user_name:
            with aria(
                ui.button(icon='account_circle').props('flat round color=white'),
                t('frame.user_menu', name=shell.user_name),
            ).mark('user-menu'):
                with ui.menu():
                    ui.menu_item(shell.user_name).props('disable')
                    ui.menu_item(t('frame.account'), on_click=lambda: ui.navigate.to('/account')).mark('menu-account')
                    if shell.on_logout:
                        ui.menu_item(t('frame.logout'), on_click=shell.on_logout).mark('menu-logout')
        elif not shell.public:
            ui.link(t('auth.login.action'), '/login').classes('text-white px-2').mark('header-login')
    with ui.column().classes('w-full max-w-screen-lg mx-auto px-4 py-4 gap-3') as main:
        ui.skip_link(t('frame.skip'), target=main)
        if heading:
            tx.h1(title)
        yield main
        with html.footer().classes('w-full mt-8 pt-3 text-sm cop-noprint'):
            ui.link(t('privacy.link_long'), '/privacy').mark('footer-privacy')


def _switch(shell: Shell, value: object) -> None:
    """Go to the chosen community: only to one of the user's own (a forged value goes nowhere)."""
    if isinstance(value, str) and value in shell.communities and value != shell.current:
        ui.navigate.to(f'/c/{value}')


def _drawer(shell: Shell) -> ui.left_drawer:
    t = shell.t
    with ui.left_drawer(value=None, bordered=True).classes('bg-grey-1 p-3').props('width=260') as drawer:
        with aria(html.nav(), t('frame.main_nav')).classes('cop-nav flex flex-col gap-1 w-full'):
            _nav_link(t('nav.communities'), '/', 'groups', shell.active == 'communities', 'nav-communities')
            _nav_link(t('nav.portfolio'), '/portfolio', 'insights', shell.active == 'portfolio', 'nav-portfolio')
            if shell.current and shell.communities:
                ui.select(
                    shell.communities,
                    value=shell.current,
                    label=t('frame.community'),
                    on_change=lambda e: _switch(shell, e.value),
                ).classes('w-full my-2').props('outlined dense options-dense').mark('community-switcher')
                _nav_link(
                    t('nav.dashboard'), f'/c/{shell.current}', 'dashboard', shell.active == 'dashboard', 'nav-dashboard'
                )
            for group in ('tools', 'helpkit'):
                parts = [p for p in PARTS if p.group == group and (shell.current or p.public)]
                if group == 'helpkit' and parts:
                    tx.div(t('nav.helpkit')).classes('text-xs uppercase tracking-wide cop-muted mt-3 px-3')
                for part in parts:
                    _nav_link(
                        t(f'nav.{part.key}'),
                        part_href(part, shell.current),
                        part.icon,
                        shell.active == part.key,
                        f'nav-{part.key}',
                    )
            if shell.current:
                tx.div(t('nav.community_admin')).classes('text-xs uppercase tracking-wide cop-muted mt-3 px-3')
                _nav_link(
                    t('nav.members'),
                    f'/c/{shell.current}/members',
                    'manage_accounts',
                    shell.active == 'members',
                    'nav-members',
                )
                _nav_link(
                    t('nav.organisation'),
                    f'/c/{shell.current}/organisation',
                    'corporate_fare',
                    shell.active == 'organisation',
                    'nav-organisation',
                )
                _nav_link(
                    t('nav.settings'),
                    f'/c/{shell.current}/settings',
                    'settings',
                    shell.active == 'settings',
                    'nav-settings',
                )
    return drawer


def _nav_link(text: str, href: str, icon: str, active: bool, marker: str) -> None:
    with ui.link(target=href).mark(marker) as link:
        ui.icon(icon).props('aria-hidden=true')
        tx.span(text)
    if active:
        link.props('aria-current=page')
