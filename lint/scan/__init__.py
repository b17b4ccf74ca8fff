"""The scan stage: find the files (discover), ask git which are tracked and
ignored (gitinfo, gitrun), parse them with the cache and the process pool
(pool, calling parse/), and group the models into the Repo the rules read
(repository), with an account of every file (stats)."""
