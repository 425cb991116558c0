"""Start-up settings: command-line options, each with an environment-variable fallback."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ENV_PREFIX = 'COP_'


@dataclass(frozen=True)
class Settings:
    host: str = '127.0.0.1'
    port: int = 8080
    data_dir: Path = Path('data')
    demo: bool = False
    demo_password: str | None = None
    backup_keep: int = 5
    backup_interval: float = 86400.0  # one kept version a day: versions must not sort survey answers by arrival
    privacy_controller: str = ''  # who is responsible for the data (GDPR controller), shown in the privacy notice
    privacy_contact: str = ''  # how to reach the data protection officer
    retain_answers_months: int = 12  # raw survey answers are erased this long after their round closed
    retain_accounts_months: int = 24  # accounts unused this long are warned, then erased
    admin_token: str | None = None
    log_format: str = 'text'
    https: bool = False
    trusted_proxies: tuple[str, ...] = ()
    smtp_url: str = ''  # the mail relay; none: mails go to the outbox folder
    mail_from: str = 'noreply@localhost'
    public_url: str = ''  # the base of every link in a mail; none: the address the request came in on
    oidc_issuer: str = ''  # sign-in with the organisation's account (OpenID Connect); off when empty
    oidc_client_id: str = ''
    oidc_client_secret: str = ''
    oidc_name: str = ''  # the button's label, e.g. "Microsoft Entra ID"
    no_local_login: bool = False  # passwords off: the organisation's sign-in only


def _env_bool(value: str | None) -> bool:
    return (value or '').strip().lower() in {'1', 'true', 'yes', 'on'}


def _months(value: str) -> int:
    """A retention period: a whole number of months, at least 1 (0 would erase data the moment it is kept)."""
    try:
        months = int(value)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f'{value!r} is not a whole number of months') from None
    if months < 1:
        raise argparse.ArgumentTypeError(f'must be 1 month or more, not {months}')
    return months


def build_parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    def env(name: str, default: str | None = None) -> str | None:
        return environ.get(ENV_PREFIX + name, default)

    parser = argparse.ArgumentParser(
        prog='python main.py',
        description='CoP-toolbox: serves the web application. Every option can also be set with the environment '
        'variable shown in brackets.',
        epilog='Operator commands: python main.py backup|restore|check --help (see README, "Operating it").',
    )
    parser.add_argument(
        '--host',
        default=env('HOST', '127.0.0.1'),
        help='address to listen on; 0.0.0.0 to accept other machines [COP_HOST] (default: %(default)s)',
    )
    parser.add_argument(
        '--port', type=int, default=int(env('PORT', '8080') or 8080), help='TCP port [COP_PORT] (default: %(default)s)'
    )
    parser.add_argument(
        '--data-dir',
        type=Path,
        default=Path(env('DATA_DIR', 'data') or 'data'),
        help='folder for the data files, backups, session files and the session secret; created if '
        'missing [COP_DATA_DIR] (default: %(default)s)',
    )
    parser.add_argument(
        '--demo',
        action='store_true',
        default=_env_bool(env('DEMO')),
        help='fill the store with a complete demo account and community and print how to log in [COP_DEMO=1]',
    )
    parser.add_argument(
        '--demo-password',
        default=env('DEMO_PASSWORD'),
        help='password for the demo account; a random one is generated and printed when omitted [COP_DEMO_PASSWORD]',
    )
    parser.add_argument(
        '--backup-keep',
        type=int,
        default=int(env('BACKUP_KEEP', '5') or 5),
        help='how many earlier versions of each data file to keep [COP_BACKUP_KEEP] (default: %(default)s)',
    )
    parser.add_argument(
        '--backup-interval',
        type=float,
        default=float(env('BACKUP_INTERVAL', '86400') or 86400),
        help='minimum seconds between two kept versions of a file; shorter than a day lets kept versions tell which '
        'survey answers came before others [COP_BACKUP_INTERVAL] (default: %(default)s)',
    )
    add_privacy_options(parser, env)
    add_operator_options(parser, env)
    add_mail_options(parser, env)
    add_sign_in_options(parser, env)
    parser.add_argument(
        '--https',
        action='store_true',
        default=_env_bool(env('HTTPS')),
        help='the site is reached over HTTPS (TLS here or at the proxy): Secure cookies and HSTS. Also detected per '
        "request from a trusted proxy's X-Forwarded-Proto [COP_HTTPS=1]",
    )
    parser.add_argument(
        '--trusted-proxy',
        default=env('TRUSTED_PROXY', ''),
        help='comma-separated addresses (or networks) of the reverse proxies whose X-Forwarded-For and '
        'X-Forwarded-Proto are believed; none by default [COP_TRUSTED_PROXY]',
    )
    return parser


def add_privacy_options(parser: argparse.ArgumentParser, env: Callable[[str, str | None], str | None]) -> None:
    """Data protection: who answers for the data, and how long it is kept (see README, "Data protection")."""
    parser.add_argument(
        '--privacy-controller',
        default=env('PRIVACY_CONTROLLER', ''),
        help='the organisation responsible for the data, as named in the privacy notice [COP_PRIVACY_CONTROLLER]',
    )
    parser.add_argument(
        '--privacy-contact',
        default=env('PRIVACY_CONTACT', ''),
        help='how to reach the data protection officer (an address or a web page) [COP_PRIVACY_CONTACT]',
    )
    parser.add_argument(
        '--retain-answers-months',
        type=_months,
        default=env('RETAIN_ANSWERS_MONTHS', '12'),
        help='months after a survey round closes before its individual answers are erased; the aggregated results '
        'stay [COP_RETAIN_ANSWERS_MONTHS] (default: %(default)s)',
    )
    parser.add_argument(
        '--retain-accounts-months',
        type=_months,
        default=env('RETAIN_ACCOUNTS_MONTHS', '24'),
        help='months without a login after which an account is warned, then erased a month later '
        '[COP_RETAIN_ACCOUNTS_MONTHS] (default: %(default)s)',
    )


def add_operator_options(parser: argparse.ArgumentParser, env: Callable[[str, str | None], str | None]) -> None:
    """Operations: the remote admin endpoint and the log format (see README, "Operating it")."""
    parser.add_argument(
        '--admin-token',
        default=env('ADMIN_TOKEN', None),
        help='token that lets the operator call POST /admin/backup remotely (at least 24 characters; prefer the '
        'environment variable, which other users cannot see in the process list) [COP_ADMIN_TOKEN]',
    )
    parser.add_argument(
        '--log-format',
        choices=('text', 'json'),
        default=env('LOG_FORMAT', 'text'),
        help='text lines, or one JSON object per line for log collectors [COP_LOG_FORMAT] (default: %(default)s)',
    )


def add_mail_options(parser: argparse.ArgumentParser, env: Callable[[str, str | None], str | None]) -> None:
    """Mail: the relay, the sender, and the address links in mails point to (see README, "Mail and sign-in")."""
    parser.add_argument(
        '--smtp-url',
        default=env('SMTP_URL', ''),
        help='mail relay, e.g. smtp://relay.example.be:25 (STARTTLS where offered) or smtps://user:password@host:465; '
        'without it mails are written to the outbox folder in the data folder [COP_SMTP_URL]',
    )
    parser.add_argument(
        '--mail-from',
        default=env('MAIL_FROM', 'noreply@localhost'),
        help='sender address of the mails [COP_MAIL_FROM] (default: %(default)s)',
    )
    parser.add_argument(
        '--public-url',
        default=env('PUBLIC_URL', ''),
        help='the address people reach the site on, e.g. https://cop.example.be: the base of every link in a mail; '
        'without it, the address the request came in on [COP_PUBLIC_URL]',
    )


def _public_url(parser: argparse.ArgumentParser, value: str) -> str:
    value = (value or '').strip().rstrip('/')
    if value and not re.fullmatch(r'https?://[^\s/?#]+(/[^\s?#]*)?', value):
        parser.error(f'--public-url must be an http(s) address such as https://cop.example.be, not {value!r}')
    return value


def _mail_settings(parser: argparse.ArgumentParser, args: argparse.Namespace) -> dict[str, str]:
    from .mail import MailConfigError, check_sender, parse_smtp_url

    smtp_url = (args.smtp_url or '').strip()
    try:
        if smtp_url:
            parse_smtp_url(smtp_url)
        sender = check_sender(args.mail_from)
    except MailConfigError as e:
        parser.error(str(e))
    return {'smtp_url': smtp_url, 'mail_from': sender, 'public_url': _public_url(parser, args.public_url)}


def add_sign_in_options(parser: argparse.ArgumentParser, env: Callable[[str, str | None], str | None]) -> None:
    """Sign-in with the organisation's account, OpenID Connect (see README, "Mail and sign-in")."""
    parser.add_argument(
        '--oidc-issuer',
        default=env('OIDC_ISSUER', ''),
        help="the organisation's OpenID Connect issuer, e.g. https://login.microsoftonline.com/<tenant>/v2.0 or "
        'https://<host>/realms/<realm>; sign-in with it is offered when set [COP_OIDC_ISSUER]',
    )
    parser.add_argument(
        '--oidc-client-id',
        default=env('OIDC_CLIENT_ID', ''),
        help='client id registered at the issuer [COP_OIDC_CLIENT_ID]',
    )
    parser.add_argument(
        '--oidc-client-secret',
        default=env('OIDC_CLIENT_SECRET', ''),
        help='client secret registered at the issuer (prefer the environment variable, which other users cannot see '
        'in the process list) [COP_OIDC_CLIENT_SECRET]',
    )
    parser.add_argument(
        '--oidc-name',
        default=env('OIDC_NAME', ''),
        help='the sign-in button\'s label, e.g. "Microsoft Entra ID" [COP_OIDC_NAME] (default: "your organisation")',
    )
    parser.add_argument(
        '--no-local-login',
        action='store_true',
        default=_env_bool(env('NO_LOCAL_LOGIN')),
        help="no passwords: log in, sign up and password reset are refused, only the organisation's sign-in "
        'works (needs --oidc-issuer) [COP_NO_LOCAL_LOGIN=1]',
    )


def _check_sign_in(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """An issuer needs a client id, and switching passwords off needs an issuer: else nobody could log in."""
    issuer = args.oidc_issuer.strip()
    if issuer and not issuer.startswith(('https://', 'http://')):
        parser.error('--oidc-issuer must be a URL (https://...)')
    if issuer and not args.oidc_client_id.strip():
        parser.error('--oidc-issuer needs --oidc-client-id')
    if args.no_local_login and not issuer:
        parser.error('--no-local-login needs --oidc-issuer: otherwise nobody could log in')
    if args.no_local_login and args.demo:
        parser.error('--demo logs in with a password, which --no-local-login switches off: use one or the other')


def parse_settings(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    parser = build_parser(env)
    args = parser.parse_args(argv)
    if args.admin_token and len(args.admin_token) < 24:
        parser.error('the admin token must have at least 24 characters')
    _check_sign_in(parser, args)
    return Settings(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir.expanduser().resolve(),
        demo=args.demo,
        demo_password=args.demo_password,
        backup_keep=max(1, args.backup_keep),
        backup_interval=max(0.0, args.backup_interval),
        privacy_controller=args.privacy_controller.strip(),
        privacy_contact=args.privacy_contact.strip(),
        retain_answers_months=args.retain_answers_months,
        retain_accounts_months=args.retain_accounts_months,
        admin_token=args.admin_token or None,
        log_format=args.log_format,
        https=args.https,
        trusted_proxies=tuple(p.strip() for p in args.trusted_proxy.split(',') if p.strip()),
        **_mail_settings(parser, args),
        oidc_issuer=args.oidc_issuer.strip().rstrip('/'),
        oidc_client_id=args.oidc_client_id.strip(),
        oidc_client_secret=args.oidc_client_secret.strip(),
        oidc_name=' '.join(args.oidc_name.split()),
        no_local_login=args.no_local_login,
    )
