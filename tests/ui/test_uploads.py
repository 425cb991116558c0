"""Uploads as the user meets them: a file the server refuses (too large) gets a clear message, and the picker works
again afterwards."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from .helpers import sign_up


async def test_an_upload_the_server_refused_says_why(user: User):
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    await user.open('/import')
    user.find(marker='import-upload').trigger('failed')  # what the browser reports after the server's 413
    await user.should_see('Het bestand kon niet verstuurd worden. Is het groter dan 10 MB?', retries=10)
    upload = user.find(marker='import-upload').elements.pop()
    await upload.handle_uploads([ui.upload.SmallFileUpload('bad.json', 'application/json', b'{"nope": 1}')])
    await user.should_see('Dit bestand is geen export van de CoP-toolbox.', retries=10)
