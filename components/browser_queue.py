"""Messages to one element's method in the browser that later calls can join while the first still waits to be sent.

The IT-tools matrix sends every change as a patch to its element's `apply` method (components/ittools_matrix.js).
NiceGUI's public way, `element.run_method` (or `client.run_javascript`), starts a background task per call
(AwaitableResponse), queues the message one turn of the event loop later, and sends one WebSocket frame per call:
in a meeting of a hundred, a burst of a thousand edits became a hundred thousand frames, and sending them was most of
the server's time (bench/ittools.py, the storm). Here a patch is queued at once, and the patches that a page's outbox
has not sent yet travel in the same message: an idle page gets each patch at once, a busy one gets them in bulk.

This leans on NiceGUI details, kept in this one place. Checked against NiceGUI 3.18.0:
- `client.run_javascript(code)` not awaited queues `client.outbox.enqueue_message('run_javascript', {'code': code},
  client.id)` (its target is `client._temporary_socket_id or client.id`, and nothing sets that id);
- the outbox loop sends the queued messages' data as it is when the loop runs, and then empties `outbox.messages`
  (a deque of `(target, type, data)`), so a message still in it may change.
tests/ui/test_browser_queue.py fails if either changes.
"""

from __future__ import annotations

from typing import Any

from nicegui import Client

MAX_STEPS = 200  # a page without a connection does not gather one ever longer message


class Outgoing:
    """One `run_javascript` message calling `runMethod(element, method, [steps])`, open to more steps until sent."""

    def __init__(self, outbox: Any, element_id: int, method: str) -> None:
        self.outbox = outbox
        self.element_id = element_id
        self.method = method
        self.steps: list[str] = []
        self.data: dict[str, Any] = {'code': ''}

    @classmethod
    def send(cls, client: Client, element_id: int, method: str, step: str) -> Outgoing:
        """Queue a new message with `step` (JSON text) for the element's `method`."""
        outgoing = cls(client.outbox, element_id, method)
        outgoing._add(step)
        client.outbox.enqueue_message('run_javascript', outgoing.data, client.id)
        return outgoing

    def join(self, step: str) -> bool:
        """Add `step` to this message if it is still the last one waiting in the outbox; False if it was sent (or
        other messages came after it, which must not be overtaken)."""
        messages = self.outbox.messages
        if not messages or messages[-1][2] is not self.data or len(self.steps) >= MAX_STEPS:
            return False
        self._add(step)
        return True

    def _add(self, step: str) -> None:
        self.steps.append(step)
        # an expression, not `return ...` as NiceGUI writes it: the browser's first `eval` of it then succeeds (with
        # `return` it throws a SyntaxError and NiceGUI evaluates the code again inside an async function)
        self.data['code'] = f'runMethod({self.element_id}, "{self.method}", [[{",".join(self.steps)}]])'
