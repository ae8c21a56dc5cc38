"""Pure decisions of the engine: rows and specs in, decisions out. No database, no Django
(an import-linter contract keeps it that way; see docs/architecture.md)."""
