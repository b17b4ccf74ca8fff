"""`iacm-lint server`: the language server (LSP 3.17 over stdio, on pygls).

`lsp.py` holds the server: which workspace folder a document belongs to,
the debounced re-check after an edit, publishing and clearing diagnostics,
code actions and commands. `convert.py` turns findings and fixes into LSP
diagnostics and workspace edits (positions in the encoding negotiated with
the client, UTF-16 by default). The engine it drives is
`engine/workspace.py`: the workspace's models stay in memory and editor
buffers are checked without being written to disk.

pygls is an optional dependency (`pip install 'iacm-lint[server]'`); only
this layer imports it, and only the `server` command imports this layer.
"""
