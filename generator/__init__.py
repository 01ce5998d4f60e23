"""kesu: a generator that turns YAML knowledge about complaint handling into a Material for MkDocs site."""
