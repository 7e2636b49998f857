"""Command palette provider: every key binding of the current screen (and the app) as a command."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ReviewCommands(Provider):
    """Offers the active bindings that have a description, so every action is reachable from ctrl+p."""

    def _commands(self) -> list[tuple[str, str, object]]:
        out, seen = [], set()
        for key, active in self.screen.active_bindings.items():
            b = active.binding
            if not b.description or b.action in seen or not active.enabled:
                continue
            seen.add(b.action)
            out.append((b.description, f"{b.action} ({key})",
                        partial(self.app.run_action, b.action, active.node)))
        return sorted(out, key=lambda c: c[0])

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
