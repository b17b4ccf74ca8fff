"""The rules: one module per rule, each registering itself with `@rule`."""
