"""DOI-M: the docs repository (docker-library/docs). Pure rules over a `DocsFolder`."""
