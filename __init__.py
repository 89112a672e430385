"""jixiao: 绩效目标批复表 (performance-target approval sheets) as YAML in git.

The repository's top level is this package: `jixiao.store` (the plain-file store, no UI),
`jixiao.tui` (the Textual editor), `jixiao.cli` (the typer commands) and `jixiao.entry` (the
console script, which answers the commands git runs per file before the CLI is built).
docs/ARCHITECTURE.md draws the layers. Importing this package imports nothing else.
"""

__version__ = "0.1.0"
