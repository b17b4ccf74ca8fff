"""The model rules read, below the parsers: `syntax` holds the frozen nodes
every parser produces (spans, HCL blocks and expressions, YAML nodes, files,
modules, the Repo); the other modules are views over them: effective
backends, version declarations and the releases that accept a root, language
features, pin files, Harness pipelines and workspaces, and the engine choice."""
