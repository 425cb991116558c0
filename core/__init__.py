"""Everything that is true without a browser. Never imports nicegui."""
