"""Print docs/cli.md: the help of every dxplan command, as the CLI itself gives it.

Run ``python tools/cli_reference.py > docs/cli.md`` after changing the CLI; a
test fails while the page and the CLI disagree.
"""

from __future__ import annotations

from dxplan.cli import main

HEADER = """# Command line

`dxplan` is installed with the package. Every command takes `--help`. Errors are
printed as one message (where, what was found, what was expected) without a
traceback, and the exit status is 1; usage mistakes exit with 2. Output files
are written atomically and never replace an existing file without `--force`.
`--format json` and `--format csv` write codes and numbers with a decimal point
whatever `--lang` is, and their text fields in `--lang`. Numbers keep every digit
of the float computed, so the last may show float noise (0.8001750000000001).

This page is generated from the commands' own help by `tools/cli_reference.py`.
"""


def reference() -> str:
    """The page, as markdown."""
    parts = [HEADER]
    # make_context applies the group's settings (-h as well as --help) whatever ran before.
    context = main.make_context("dxplan", [], resilient_parsing=True, terminal_width=88)
    parts.append(f"## dxplan\n\n```text\n{main.get_help(context)}\n```\n")
    for name in sorted(main.list_commands(context)):
        command = main.get_command(context, name)
        assert command is not None
        sub = command.make_context(name, [], parent=context, resilient_parsing=True)
        parts.append(f"## dxplan {name}\n\n```text\n{command.get_help(sub)}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(reference(), end="")
