"""Domain knowledge, the bottom layer: facts about Terraform, OpenTofu,
Harness and the tools around them, with no model of a scanned repository.

engines, backend schemas, pipeline step types, releases and features,
go-version constraints, secret formats, the shell lexer and git's wildmatch
patterns; `data/` holds the package data they read (generated from the
research files in the specification)."""
