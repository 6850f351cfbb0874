"""The baseline of ``bench_app.py``: a bare Textual app with a Header, a Tree of 200 nodes and a Footer."""

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


if __name__ == "__main__":
    BareApp().run()
