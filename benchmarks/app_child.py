"""One timed start of an app, run by ``bench_app.py`` as its own process.

``python benchmarks/app_child.py bare`` starts a bare Textual app (Header, a
Tree of 200 nodes, Footer); ``python benchmarks/app_child.py tracker [tracker
options]`` starts Roadmap Tracker the way the ``tracker`` command does. Each
prints the wall-clock time (``time.time()``) at which its first screen was
painted (Textual's ``Ready`` event; for the tracker, with the roadmap tree
drawn) and exits, so the parent can time "process start to first painted
screen" without counting the shutdown.
"""

from __future__ import annotations

import sys
import time


def run_bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Tree

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            tree: Tree[int] = Tree("root")
            for branch in range(20):
                node = tree.root.add(f"branch {branch}", expand=branch == 0)
                for leaf in range(9):
                    node.add_leaf(f"leaf {branch}.{leaf}")
            tree.root.expand()
            yield tree
            yield Footer()

        def on_ready(self) -> None:
            print(time.time(), flush=True)
            self.exit()

    BareApp().run(headless=True)


def run_tracker(arguments: list[str]) -> None:
    import tracker.ui.app as app_module
    from tracker import cli
    from tracker.ui.app import TrackerApp

    def exit_when_painted(app: TrackerApp) -> None:
        tree = app.browser.active_tree() if app.is_mounted else None
        if tree is not None and tree.last_line >= 0:
            print(time.time(), flush=True)
            app.exit()
        else:
            app.set_timer(0.001, lambda: exit_when_painted(app))

    class TimedApp(TrackerApp):
        def on_ready(self) -> None:
            exit_when_painted(self)

        def run(self, **kwargs):  # noqa: D102 - the same app, without a terminal
            return super().run(headless=True)

    # `tracker app` imports make_app when it runs, so the timed app takes its place.
    app_module.make_app = lambda catalog, store, clock=None: TimedApp(catalog, store)
    cli.cli.main(args=arguments, prog_name="tracker", standalone_mode=True)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        run_bare()
    else:
        run_tracker(sys.argv[2:])
