"""Start-up settings: command-line options, each with an environment-variable fallback."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
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
    backup_interval: float = 300.0


def _env_bool(value: str | None) -> bool:
    return (value or '').strip().lower() in {'1', 'true', 'yes', 'on'}


def build_parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    def env(name: str, default: str | None = None) -> str | None:
        return environ.get(ENV_PREFIX + name, default)

    parser = argparse.ArgumentParser(
        prog='python main.py',
        description='CoP-toolbox: serves the web application. Every option can also be set with the environment '
        'variable shown in brackets.',
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
        default=float(env('BACKUP_INTERVAL', '300') or 300),
        help='minimum seconds between two kept versions of a file [COP_BACKUP_INTERVAL] (default: %(default)s)',
    )
    return parser


def parse_settings(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    args = build_parser(env).parse_args(argv)
    return Settings(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir.expanduser().resolve(),
        demo=args.demo,
        demo_password=args.demo_password,
        backup_keep=max(1, args.backup_keep),
        backup_interval=max(0.0, args.backup_interval),
    )
